import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { seedIfEmpty } from '@cr/db';
import { createTestDatabase, startTestCluster } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import type pg from 'pg';
import { createPool } from '../src/plugins/external/db.ts';
import { populate } from './workload.ts';

/**
 * What a one-operation upload costs the Postgres backend, statement by statement: the statements
 * the engine sends for an inventory PATCH (BEGIN; ledger read + row load FOR UPDATE + tombstone
 * probe; row update + ledger insert; COMMIT), and variants each leaving one part out, against the
 * naive endpoint's SELECT … FOR UPDATE + UPDATE. Each variant has a fresh database and its own
 * connection; rounds interleave. The figure is the backend's CPU time (utime + stime from /proc).
 *
 *   npx tsx bench/statement-cost.ts        (in apps/api; COST_ROUNDS=4, COST_PER_ROUND=1000)
 *
 * Prints a table; writes nothing. The variants without a part are not correct uploads: they
 * show what that part costs.
 */

const ROUNDS = Number(process.env.COST_ROUNDS ?? 4);
const PER_ROUND = Number(process.env.COST_PER_ROUND ?? 1000);
const TICK_MS = 10; // USER_HZ is 100 on Linux

const id = (i: number) => `40000000-0000-4000-8000-${String(1000 + (i % 2000)).padStart(12, '0')}`;
const COLUMNS = '"id", "sku", "name", "quantity", "updated_by", "updated_at"';

function read(options: { lock: boolean; tombstone: boolean }): string {
  const lock = options.lock ? ' FOR UPDATE' : '';
  const ctes = [
    `p AS (SELECT op_id, table_name, row_id, status, code, message, conflict_id FROM applied_operations
             WHERE user_id = $1 AND client_id = $2 AND op_id = $3::bigint)`,
    `l0 AS (SELECT ${COLUMNS} FROM "inventory" WHERE "id" = $4::uuid${lock})`,
  ];
  const selects = ['SELECT -1 AS t, row_to_json(p) AS r FROM p', 'SELECT 0 AS t, row_to_json(l0) AS r FROM l0'];
  if (options.tombstone) {
    ctes.push('d AS (SELECT table_name, row_id FROM deleted_rows WHERE table_name = $5::text AND row_id = $6::text)');
    selects.push('SELECT -2 AS t, row_to_json(d) AS r FROM d');
  }
  return `WITH ${ctes.join(', ')} ${selects.join(' UNION ALL ')}`;
}

const UPDATE = `UPDATE "inventory" AS t SET "sku" = x."sku", "name" = x."name", "quantity" = x."quantity",
  "updated_by" = x."updated_by", "updated_at" = x."updated_at"
  FROM json_populate_record(NULL::"inventory", $1::json) AS x WHERE t."id" = $2::uuid`;
const LEDGER = `INSERT INTO applied_operations
  (client_id, op_id, user_id, tx_id, table_name, row_id, operation, status, code, message, conflict_id)
  VALUES ($3::text, $4::bigint, $5::text, $6::bigint, $7::text, $8::text, $9::text, $10::text, $11::text, $12::text, $13::uuid)`;

const readParams = (i: number, op: number, tombstone: boolean) => [
  'carol',
  'cost-client',
  op,
  id(i),
  ...(tombstone ? ['inventory', id(i)] : []),
];
const row = (i: number) =>
  JSON.stringify({
    id: id(i),
    sku: `SKU-${1000 + (i % 2000)}`,
    name: `Item ${1000 + (i % 2000)}`,
    quantity: 5000 + i,
    updated_by: 'carol',
    updated_at: new Date().toISOString(),
  });
const ledgerParams = (i: number, op: number) => [
  'cost-client',
  op,
  'carol',
  op,
  'inventory',
  id(i),
  'PATCH',
  'applied',
  null,
  null,
  null,
];

type Upload = (client: pg.PoolClient, i: number, op: number) => Promise<void>;

/** The engine's two statements in a transaction, with the parts `options` keeps. */
function engine(name: string, options: { lock?: boolean; tombstone?: boolean; ledger?: boolean }): Upload {
  const { lock = true, tombstone = true, ledger = true } = options;
  const readText = read({ lock, tombstone });
  const writeText = ledger ? `WITH w0 AS (${UPDATE}), w1 AS (${LEDGER}) SELECT 1` : `WITH w0 AS (${UPDATE}) SELECT 1`;
  return async (client, i, op) => {
    await client.query('BEGIN');
    await client.query({ name: `${name}-read`, text: readText, values: readParams(i, op, tombstone) });
    const values = ledger ? [row(i), id(i), ...ledgerParams(i, op)] : [row(i), id(i)];
    await client.query({ name: `${name}-write`, text: writeText, values });
    await client.query('COMMIT');
  };
}

const naive: Upload = async (client, i) => {
  await client.query('BEGIN');
  await client.query('SELECT * FROM inventory WHERE id = $1 FOR UPDATE', [id(i)]);
  await client.query('UPDATE inventory SET quantity = quantity + $1, updated_at = now() WHERE id = $2', [1, id(i)]);
  await client.query('COMMIT');
};

const VARIANTS: { name: string; upload: Upload; setup?: string }[] = [
  { name: 'the engine (ledger, row lock, tombstone probe)', upload: engine('a', {}) },
  { name: 'without the tombstone probe', upload: engine('b', { tombstone: false }) },
  { name: 'without the row lock', upload: engine('c', { lock: false }) },
  { name: 'without the ledger insert', upload: engine('d', { ledger: false }) },
  {
    name: 'the ledger UNLOGGED (not crash-safe)',
    upload: engine('e', {}),
    setup: 'ALTER TABLE applied_operations SET UNLOGGED',
  },
  { name: 'naive: SELECT … FOR UPDATE + UPDATE', upload: naive },
];

async function backendTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const load = [loadavg()[0]];
const cluster = await startTestCluster({ migrationsDir: infraPaths.migrations });
const sides: { name: string; upload: Upload; pool: pg.Pool; client: pg.PoolClient; ticks: number; op: number }[] = [];
try {
  for (const variant of VARIANTS) {
    const url = await createTestDatabase(cluster);
    await seedIfEmpty(url, infraPaths.seed);
    const pool = createPool(url, 1);
    await populate(pool);
    if (variant.setup) await pool.query(variant.setup);
    sides.push({ ...variant, pool, client: await pool.connect(), ticks: 0, op: 0 });
  }
  for (const side of sides) for (let i = 0; i < 200; i++) await side.upload(side.client, i, ++side.op);
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
      const { rows } = await side.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]?.pid ?? 0;
      const before = await backendTicks(pid);
      for (let i = 0; i < PER_ROUND; i++) await side.upload(side.client, i * 7 + r, ++side.op);
      side.ticks += (await backendTicks(pid)) - before;
    }
  }
} finally {
  for (const side of sides) {
    side.client.release();
    await side.pool.end();
  }
  await cluster.stop();
}
load.push(loadavg()[0]);

console.log(`${ROUNDS * PER_ROUND} uploads each · load average (1 min) ${load.map((l) => l?.toFixed(1)).join(' → ')}`);
console.log('| statements | Postgres backend CPU ms / upload |');
console.log('|---|---:|');
for (const side of sides)
  console.log(`| ${side.name} | ${((side.ticks * TICK_MS) / (ROUNDS * PER_ROUND)).toFixed(3)} |`);
