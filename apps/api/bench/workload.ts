import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/**
 * A mixed upload workload over every strategy, generated ahead of time from a seeded random
 * source so that the API and the baseline apply exactly the same operations.
 *
 * - tasks (timestamp) and documents (version): 90 % fresh edits, 10 % stale (→ recorded conflicts)
 * - orders (rules): customer edits, 10 % illegal status changes (→ recorded rejections)
 * - inventory (delta): sales and restocks of one unit
 * - field_changes (change tracking): new pending changes
 * - patients (field-level LWW): vitals and notes, in batches of their own (a doctor's uploads)
 */

export const ROWS_PER_TABLE = 2000;

export interface Batch {
  user: 'carol' | 'dan';
  entries: Record<string, unknown>[];
}

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const uuidFor = (prefix: number, n: number) => `${prefix}0000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
export const ids = {
  task: (n: number) => uuidFor(1, n),
  doc: (n: number) => uuidFor(2, n),
  patient: (n: number) => uuidFor(3, n),
  item: (n: number) => uuidFor(4, n),
  order: (n: number) => uuidFor(5, n),
};

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** Inserts the rows the workload edits (on top of the demo seed, with ids of their own). */
export async function populate(pool: pg.Pool): Promise<void> {
  const n = ROWS_PER_TABLE;
  const at = new Date(T0).toISOString();
  await pool.query(
    `INSERT INTO tasks (id, title, status, priority, created_by, created_at, modified_at, modified_by)
     SELECT ('10000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Task ' || i, 'todo', 3, 'carol', $2, $2, 'carol'
       FROM generate_series(1000, 999 + $1) i`,
    [n, at],
  );
  await pool.query(
    `INSERT INTO documents (id, title, body, version, created_by, created_at, updated_by, updated_at)
     SELECT ('20000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Doc ' || i, repeat('text ', 40), 1, 'carol', $2, 'carol', $2
       FROM generate_series(1000, 999 + $1) i`,
    [n, at],
  );
  await pool.query(
    `INSERT INTO patients (id, name, heart_rate, notes, updated_by, updated_at)
     SELECT ('30000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Patient ' || i, 70, '', 'dan', $2
       FROM generate_series(1000, 999 + $1) i`,
    [n, at],
  );
  await pool.query(
    `INSERT INTO inventory (id, sku, name, quantity, updated_by, updated_at)
     SELECT ('40000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'SKU-' || i, 'Item ' || i, 1000000, 'carol', $2
       FROM generate_series(1000, 999 + $1) i`,
    [n, at],
  );
  await pool.query(
    `INSERT INTO orders (id, customer, quantity, price_cents, status, created_by, created_at, updated_by, updated_at)
     SELECT ('50000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Customer ' || i, 1, 100, 'pending', 'carol', $2, 'carol', $2
       FROM generate_series(1000, 999 + $1) i`,
    [n, at],
  );
  await pool.query('ANALYZE');
}

/**
 * `count` batches of `size` operations; every sixth batch is a doctor's patient edits. A client of
 * `clients` edits its own slice of the rows, so concurrent clients do not edit the same rows.
 */
export function generateBatches(
  size: number,
  count: number,
  options: { seed?: number; client?: number; clients?: number } = {},
): Batch[] {
  const { seed = 42, client = 0, clients = 1 } = options;
  const random = prng(seed + client);
  const slice = Math.floor(ROWS_PER_TABLE / clients);
  const pick = () => 1000 + client * slice + Math.floor(random() * slice);
  const taskToken = new Map<number, string>();
  const docVersion = new Map<number, number>();
  let clock = T0;
  const tick = () => {
    clock += 1;
    return new Date(clock).toISOString();
  };
  let opId = client * 10_000_000;
  const batches: Batch[] = [];
  for (let b = 0; b < count; b++) {
    const user = b % 6 === 5 ? 'dan' : 'carol';
    const entries: Record<string, unknown>[] = [];
    for (let i = 0; i < size; i++) {
      const entry = (op: string, type: string, id: string, rest: Record<string, unknown>) =>
        entries.push({ op_id: ++opId, op, type, id, tx_id: b + 1, ...rest });
      const n = pick();
      if (user === 'dan') {
        const data = random() < 0.5 ? { heart_rate: 60 + Math.floor(random() * 60) } : { notes: `note ${opId}` };
        entry('PATCH', 'patients', ids.patient(n), { data, metadata: JSON.stringify({ edited_at: tick() }) });
        continue;
      }
      const kind = random();
      if (kind < 0.2) {
        const base = taskToken.get(n) ?? new Date(T0).toISOString();
        const stale = random() < 0.1;
        const token = tick();
        if (!stale) taskToken.set(n, token);
        const old = { modified_at: stale ? new Date(T0 - 1000).toISOString() : base };
        entry('PATCH', 'tasks', ids.task(n), { data: { title: `Task ${n} v${opId}`, modified_at: token }, old });
      } else if (kind < 0.4) {
        const version = docVersion.get(n) ?? 1;
        const stale = random() < 0.1;
        if (!stale) docVersion.set(n, version + 1);
        const base = stale ? version + 100 : version;
        entry('PATCH', 'documents', ids.doc(n), {
          data: { body: `Body ${opId}`, version: base + 1 },
          old: { version: base },
        });
      } else if (kind < 0.6) {
        const data = random() < 0.1 ? { status: 'completed' } : { customer: `Customer ${opId}` };
        entry('PATCH', 'orders', ids.order(n), { data });
      } else if (kind < 0.8) {
        const delta = random() < 0.7 ? -1 : 1;
        entry('PATCH', 'inventory', ids.item(n), { data: { quantity: 1000 + delta }, old: { quantity: 1000 } });
      } else {
        const value = JSON.stringify(`Changed ${opId}`);
        const data = {
          table_name: 'tasks',
          row_id: ids.task(n),
          field_name: 'description',
          new_value: value,
          status: 'pending',
        };
        entry('PUT', 'field_changes', randomUUID(), { data });
      }
    }
    batches.push({ user, entries });
  }
  return batches;
}
