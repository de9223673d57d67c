import { randomUUID } from 'node:crypto';
import type { Transaction } from '@powersync/common';
import type { FaultClient } from './client.ts';
import type { Random } from './random.ts';

/**
 * Random multi-operation transactions over every table, written locally the way the web app
 * writes them (apps/web/src/*-writes.ts): task edits carry a new modified_at, document edits bump
 * the version, stock moves are `quantity ± n` with the intent in _metadata, patient edits carry
 * their edit time. Mostly what the role may do, sometimes not (the API must refuse and record).
 */

type Step = (tx: Transaction, ctx: StepContext) => Promise<void>;

interface StepContext {
  client: FaultClient;
  random: Random;
  user: string;
  now: () => string;
}

const ORDER_STATUSES = ['pending', 'processing', 'shipped', 'completed', 'cancelled'] as const;
const NEXT: Record<string, readonly string[]> = {
  pending: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['completed'],
  completed: [],
  cancelled: [],
};

async function pick<T>(tx: Transaction, random: Random, sql: string, params: unknown[] = []): Promise<T | null> {
  const rows = await tx.getAll<T>(sql, params);
  return rows.length === 0 ? null : random.pick(rows);
}

function later(current: string | null, nowMs: number): string {
  const previous = current ? Date.parse(current) : Number.NaN;
  return new Date(Number.isNaN(previous) ? nowMs : Math.max(nowMs, previous + 1)).toISOString();
}

const stockMove: Step = async (tx, { random, user, now }) => {
  const item = await pick<{ id: string; quantity: number }>(tx, random, 'SELECT id, quantity FROM inventory');
  if (!item) return;
  const amount = random.int(1, 3);
  // Like the app: a sale is offered only when the stock shown here covers it.
  const delta = random.chance(0.55) && item.quantity >= amount ? -amount : amount;
  await tx.execute(
    'UPDATE inventory SET quantity = quantity + ?, _metadata = ?, updated_by = ?, updated_at = ? WHERE id = ?',
    [delta, JSON.stringify({ delta }), user, now(), item.id],
  );
};

const taskCreate: Step = async (tx, { random, user, now }) => {
  const at = now();
  await tx.execute(
    `INSERT INTO tasks (id, title, description, status, priority, due_date, assignee_id, created_by, created_at,
                        modified_at, modified_by) VALUES (?, ?, '', 'todo', ?, NULL, NULL, ?, ?, ?, ?)`,
    [randomUUID(), `Task ${random.int(1, 9999)}`, random.int(1, 5), user, at, at, user],
  );
};

const taskEdit: Step = async (tx, { random, user }) => {
  const task = await pick<{ id: string; modified_at: string }>(tx, random, 'SELECT id, modified_at FROM tasks');
  if (!task) return;
  const field = random.pick(['title', 'status', 'priority'] as const);
  const value =
    field === 'title'
      ? `Edited ${random.int(1, 9999)}`
      : field === 'status'
        ? random.pick(['todo', 'in_progress', 'done'])
        : random.int(1, 5);
  await tx.execute(`UPDATE tasks SET ${field} = ?, modified_at = ?, modified_by = ? WHERE id = ?`, [
    value,
    later(task.modified_at, Date.now()),
    user,
    task.id,
  ]);
};

const taskDelete: Step = async (tx, { random }) => {
  const task = await pick<{ id: string }>(tx, random, `SELECT id FROM tasks WHERE title LIKE 'Task %'`);
  if (task) await tx.execute('DELETE FROM tasks WHERE id = ?', [task.id]);
};

const trackedChange: Step = async (tx, { random, user, now }) => {
  const task = await pick<{ id: string }>(tx, random, 'SELECT id FROM tasks');
  if (!task) return;
  const at = now();
  const [field, value] = random.chance(0.5)
    ? ['title', `Tracked ${random.int(1, 999)}`]
    : ['priority', random.int(0, 6)];
  await tx.execute(
    `INSERT INTO field_changes (id, user_id, table_name, row_id, field_name, new_value, status, attempts, created_at,
                                updated_at) VALUES (?, ?, 'tasks', ?, ?, ?, 'pending', 0, ?, ?)`,
    [randomUUID(), user, task.id, field, JSON.stringify(value), at, at],
  );
};

const documentEdit: Step = async (tx, { random, user, now }) => {
  if (random.chance(0.2)) {
    const at = now();
    await tx.execute(
      `INSERT INTO documents (id, title, body, version, created_by, created_at, updated_by, updated_at)
       VALUES (?, ?, '', 1, ?, ?, ?, ?)`,
      [randomUUID(), `Doc ${random.int(1, 999)}`, user, at, user, at],
    );
    return;
  }
  const doc = await pick<{ id: string }>(tx, random, 'SELECT id FROM documents');
  if (!doc) return;
  await tx.execute(
    'UPDATE documents SET body = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?',
    [`Revision ${random.int(1, 99_999)}`, user, now(), doc.id],
  );
};

const orderStep: Step = async (tx, { random, user, now }) => {
  const roll = random.next();
  if (roll < 0.3) {
    const product = await pick<{ id: string }>(tx, random, 'SELECT id FROM inventory');
    const at = now();
    await tx.execute(
      `INSERT INTO orders (id, customer, product_id, quantity, price_cents, status, created_by, created_at,
                           updated_by, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
      [
        randomUUID(),
        `Customer ${random.int(1, 99)}`,
        product?.id ?? null,
        random.int(1, 9),
        100 * random.int(1, 50),
        user,
        at,
        user,
        at,
      ],
    );
    return;
  }
  const order = await pick<{ id: string; status: string }>(tx, random, 'SELECT id, status FROM orders');
  if (!order) return;
  if (roll < 0.75) {
    const legal = NEXT[order.status] ?? [];
    const status = legal.length > 0 && random.chance(0.8) ? random.pick(legal) : random.pick(ORDER_STATUSES);
    await tx.execute('UPDATE orders SET status = ?, updated_by = ?, updated_at = ? WHERE id = ?', [
      status,
      user,
      now(),
      order.id,
    ]);
  } else if (roll < 0.9) {
    await tx.execute('UPDATE orders SET price_cents = ?, updated_by = ?, updated_at = ? WHERE id = ?', [
      100 * random.int(1, 80),
      user,
      now(),
      order.id,
    ]);
  } else {
    await tx.execute('DELETE FROM orders WHERE id = ?', [order.id]);
  }
};

const DOCTOR_FIELDS = ['diagnosis', 'treatment', 'notes', 'heart_rate', 'temperature', 'blood_pressure'] as const;
const NURSE_FIELDS = ['notes', 'heart_rate', 'temperature', 'blood_pressure'] as const;

function patientValue(field: string, random: Random): string | number {
  if (field === 'heart_rate') return random.int(50, 140);
  if (field === 'temperature') return Math.round((36 + random.next() * 4) * 10) / 10;
  if (field === 'blood_pressure') return `${random.int(100, 160)}/${random.int(60, 100)}`;
  return `${field} ${random.int(1, 99_999)}`;
}

function patientEdit(fields: readonly string[]): Step {
  return async (tx, { random }) => {
    const patient = await pick<{ id: string }>(tx, random, 'SELECT id FROM patients');
    if (!patient) return;
    const values = new Map<string, string | number>();
    for (let n = random.int(1, 2); n > 0; n--) {
      const field = random.pick(fields);
      values.set(field, patientValue(field, random));
    }
    // Now and then a field the role may not write: refused and recorded, never applied.
    if (random.chance(0.05)) values.set('diagnosis', patientValue('diagnosis', random));
    await tx.execute(
      `UPDATE patients SET ${[...values.keys()].map((field) => `${field} = ?`).join(', ')}, _metadata = ? WHERE id = ?`,
      [...values.values(), JSON.stringify({ edited_at: new Date().toISOString() }), patient.id],
    );
  };
}

const resolveConflict: Step = async (tx, { random, user, client }) => {
  const reviewer = client.spec.role === 'reviewer';
  const conflict = await pick<{ id: string }>(
    tx,
    random,
    reviewer
      ? `SELECT id FROM write_conflicts WHERE status = 'open'`
      : `SELECT id FROM write_conflicts WHERE status = 'open' AND user_id = ?`,
    reviewer ? [] : [user],
  );
  if (!conflict) return;
  await tx.execute(`UPDATE write_conflicts SET status = 'resolved', resolution = ? WHERE id = ?`, [
    random.pick(['mine', 'server']),
    conflict.id,
  ]);
};

const dismissRejection: Step = async (tx, { random, now }) => {
  const rejection = await pick<{ id: string }>(tx, random, 'SELECT id FROM rejections WHERE dismissed_at IS NULL');
  if (rejection) await tx.execute('UPDATE rejections SET dismissed_at = ? WHERE id = ?', [now(), rejection.id]);
};

const STEPS: Record<string, [string, Step, number][]> = {
  clerk: [
    ['stock', stockMove, 4],
    ['task-create', taskCreate, 1],
    ['task-edit', taskEdit, 3],
    ['task-delete', taskDelete, 1],
    ['tracked-change', trackedChange, 2],
    ['document', documentEdit, 2],
    ['order', orderStep, 4],
    ['resolve', resolveConflict, 1],
    ['dismiss', dismissRejection, 1],
  ],
  manager: [
    ['stock', stockMove, 3],
    ['task-edit', taskEdit, 2],
    ['document', documentEdit, 2],
    ['order', orderStep, 5],
    ['task-create', taskCreate, 1],
    ['resolve', resolveConflict, 1],
    ['dismiss', dismissRejection, 1],
  ],
  doctor: [
    ['patient', patientEdit(DOCTOR_FIELDS), 6],
    ['dismiss', dismissRejection, 1],
    ['stock', stockMove, 1],
  ],
  nurse: [
    ['patient', patientEdit(NURSE_FIELDS), 6],
    ['dismiss', dismissRejection, 1],
    ['task-edit', taskEdit, 1],
  ],
  reviewer: [
    ['resolve', resolveConflict, 4],
    ['dismiss', dismissRejection, 1],
    ['task-edit', taskEdit, 1],
  ],
};

/** One random transaction of 1 to 3 steps for the client's role; records it (null: nothing written). */
export async function randomTransaction(client: FaultClient, random: Random) {
  const steps = (STEPS[client.spec.role] ?? []).map(([name, step, weight]) => [[name, step], weight] as const);
  const count = random.chance(0.6) ? 1 : random.int(2, 3);
  const chosen = Array.from({ length: count }, () => random.weighted(steps));
  const ctx: StepContext = { client, random, user: client.spec.user, now: () => new Date().toISOString() };
  return client.write(chosen.map(([name]) => name).join('+'), async (tx) => {
    for (const [, step] of chosen) await step(tx, ctx);
  });
}
