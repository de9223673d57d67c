import pg from 'pg';
import { type BenchClient, openClient, type UploadMode } from './client.ts';
import type { BenchStack } from './stack.ts';

/** Rows the offline clerk edits, per table (added to the seed; last changed by someone else). */
const ROWS = { tasks: 300, documents: 200, inventory: 200 };
/** Rows of the warm-up edits, after those (their own, so they tell nothing about the run). */
const WARM_ROWS = 10;
const USER = 'carol';
const WARM_UP = 200;
const id = (prefix: number, n: number) => `${prefix}1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export interface CatchUpRun {
  mode: UploadMode;
  transactions: number;
  /** From reconnecting until the upload queue is empty. */
  queueEmptyMs: number;
  /** From reconnecting until the queue is empty and the server's rows are the local ones. */
  visibleMs: number;
  transactionsPerSecond: number;
  /** Upload requests the API answered (from its metrics counter, before − after). */
  requests: number;
}

export async function populate(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const at = '2026-01-01T00:00:00.000Z';
    await client.query(
      `INSERT INTO tasks (id, title, status, priority, created_by, created_at, modified_at, modified_by)
       SELECT ('11000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Task ' || i, 'todo', 3, 'alice', $2, $2, 'alice'
         FROM generate_series(0, $1 - 1) i`,
      [ROWS.tasks + WARM_ROWS, at],
    );
    await client.query(
      `INSERT INTO documents (id, title, body, version, created_by, created_at, updated_by, updated_at)
       SELECT ('21000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Doc ' || i, 'text', 1, 'alice', $2, 'alice', $2
         FROM generate_series(0, $1 - 1) i`,
      [ROWS.documents + WARM_ROWS, at],
    );
    await client.query(
      `INSERT INTO inventory (id, sku, name, quantity, updated_by, updated_at)
       SELECT ('41000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid,
              CASE WHEN i < $1 THEN 'BENCH-' ELSE 'WARM-' END || i, 'Item ' || i, 1000, 'alice', $2
         FROM generate_series(0, $1::int + $3::int - 1) i`,
      [ROWS.inventory, at, WARM_ROWS],
    );
  } finally {
    await client.end();
  }
}

/**
 * The i-th offline edit, one client transaction each: restocks, task edits, document edits (on
 * the warm-up rows when `warm`).
 */
async function edit(client: BenchClient, i: number, clock: number, warm = false): Promise<void> {
  const row = (rows: number) => (warm ? rows + (i % WARM_ROWS) : i % rows);
  const text = warm ? 'Warm' : 'Task edit';
  switch (i % 5) {
    case 0:
    case 1:
      await client.db.execute('UPDATE inventory SET quantity = quantity + 1 WHERE id = ?', [
        id(4, row(ROWS.inventory)),
      ]);
      return;
    case 2:
    case 3:
      await client.db.execute('UPDATE tasks SET title = ?, modified_at = ? WHERE id = ?', [
        `${text} ${i}`,
        new Date(clock + i + (warm ? 0 : WARM_UP)).toISOString(),
        id(1, row(ROWS.tasks)),
      ]);
      return;
    default:
      await client.db.execute('UPDATE documents SET body = ?, version = version + 1 WHERE id = ?', [
        warm ? `Warm ${i}` : `Body edit ${i}`,
        id(2, row(ROWS.documents)),
      ]);
  }
}

/** Rows edited so far whose server stamp (who last changed it) has come back: the server's result. */
async function stampedBack(client: BenchClient): Promise<number> {
  const rows = await client.db.getAll<{ n: number }>(
    `SELECT (SELECT count(*) FROM inventory WHERE sku LIKE 'BENCH-%' AND updated_by = ?)
          + (SELECT count(*) FROM tasks WHERE title LIKE 'Task edit %' AND modified_by = ?)
          + (SELECT count(*) FROM documents WHERE body LIKE 'Body edit %' AND updated_by = ?) AS n`,
    [USER, USER, USER],
  );
  return Number(rows[0]?.n ?? 0);
}

function editedRows(n: number): number {
  const touched = (share: (i: number) => boolean, rows: number) => {
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) if (share(i)) seen.add(i % rows);
    return seen.size;
  };
  return (
    touched((i) => i % 5 < 2, ROWS.inventory) +
    touched((i) => i % 5 === 2 || i % 5 === 3, ROWS.tasks) +
    touched((i) => i % 5 === 4, ROWS.documents)
  );
}

async function uploadRequests(stack: BenchStack): Promise<number> {
  const response = await fetch(`${stack.apiUrl}/api/metrics`, {
    headers: { authorization: `Bearer ${await stack.token(USER)}` },
  });
  const body = (await response.json()) as { uploads?: { requests?: number } };
  return body.uploads?.requests ?? Number.NaN;
}

/**
 * One catch-up: a client syncs, goes offline, makes `n` single-operation transactions, and
 * reconnects; timed until its queue is empty and the server's rows are visible locally. Then the
 * local rows are checked against Postgres (every edit applied exactly once).
 */
export async function catchUp(
  stack: BenchStack,
  databaseUrl: string,
  mode: UploadMode,
  n: number,
): Promise<CatchUpRun> {
  const client = await openClient(stack, USER, mode);
  try {
    await client.connect();
    await client.db.waitForFirstSync();
    // Warm up: a running API and client have uploaded before (the first request of a process
    // compiles its code paths), so some edits go up online first, in the mode measured.
    const clock = Date.now();
    for (let i = 0; i < WARM_UP; i++) await edit(client, i, clock, true);
    while ((await client.db.getUploadQueueStats()).count > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await client.disconnect();
    for (let i = 0; i < n; i++) await edit(client, i, clock);
    const expected = editedRows(n);
    const requestsBefore = await uploadRequests(stack);

    const started = performance.now();
    await client.connect();
    let queueEmptyMs = Number.NaN;
    const deadline = Date.now() + 600_000;
    for (;;) {
      const queued = (await client.db.getUploadQueueStats()).count;
      if (queued === 0 && Number.isNaN(queueEmptyMs)) queueEmptyMs = performance.now() - started;
      if (queued === 0 && (await stampedBack(client)) === expected) break;
      if (Date.now() > deadline) throw new Error(`catch-up of ${n} (${mode}) did not finish: ${queued} queued`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const visibleMs = performance.now() - started;
    const requests = (await uploadRequests(stack)) - requestsBefore;
    await verify(client, databaseUrl, n);
    return {
      mode,
      transactions: n,
      queueEmptyMs: Math.round(queueEmptyMs),
      visibleMs: Math.round(visibleMs),
      transactionsPerSecond: Math.round(n / (visibleMs / 1000)),
      requests,
    };
  } finally {
    await client.close();
  }
}

/** Every edit applied exactly once: the ledger holds n operations, and the local rows are the server's. */
async function verify(client: BenchClient, databaseUrl: string, n: number): Promise<void> {
  const server = new pg.Client({ connectionString: databaseUrl });
  await server.connect();
  try {
    const clientId = await client.db.getClientId();
    const ledger = await server.query<{ n: string; applied: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'applied') AS applied FROM applied_operations WHERE client_id = $1`,
      [clientId],
    );
    const total = n + WARM_UP;
    if (Number(ledger.rows[0]?.n) !== total || Number(ledger.rows[0]?.applied) !== total) {
      throw new Error(`ledger: ${JSON.stringify(ledger.rows[0])} for ${n} edits`);
    }
    const sum = `SELECT (SELECT sum(quantity) FROM inventory WHERE sku LIKE 'BENCH-%') AS stock,
                        (SELECT sum(version) FROM documents WHERE body LIKE 'Body edit %') AS versions,
                        (SELECT count(*) FROM tasks WHERE title LIKE 'Task edit %') AS tasks`;
    const remote = (await server.query(sum)).rows[0];
    const [local] = await client.db.getAll<Record<string, unknown>>(sum);
    const same = ['stock', 'versions', 'tasks'].every((k) => Number(remote?.[k]) === Number(local?.[k]));
    const stock = ROWS.inventory * 1000 + [...Array(n).keys()].filter((i) => i % 5 < 2).length;
    if (!same || Number(remote?.stock) !== stock) {
      throw new Error(`local ${JSON.stringify(local)} ≠ server ${JSON.stringify(remote)} (stock should be ${stock})`);
    }
  } finally {
    await server.end();
  }
}
