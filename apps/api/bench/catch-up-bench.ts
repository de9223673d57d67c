import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { seedIfEmpty } from '@cr/db';
import { createTestDatabase, startTestCluster } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import type { UploadMode } from './catch-up/client.ts';
import { type CatchUpRun, catchUp, populate } from './catch-up/scenario.ts';
import { startStack } from './catch-up/stack.ts';

/**
 * Coming back online: a real @powersync/node client (the demo's schema, a manager) makes N
 * single-operation transactions offline over inventory, tasks and documents, reconnects, and is
 * timed until its upload queue is empty and the server's rows are visible locally. Each run on a
 * fresh database with its own API and sync service (separate processes, started by the stack's
 * launcher); the client uploads with the connector kit's drainQueue (many transactions per
 * request) or, as the baseline, one transaction per request.
 *
 *   npm run bench:catch-up -w @cr/api      (CATCH_UP_SIZES=1000,10000 by default)
 *
 * Writes bench/results/catch-up.json and bench/results/catch-up.md.
 */

const SIZES = (process.env.CATCH_UP_SIZES ?? '1000,10000').split(',').map(Number);
const MODES = (process.env.CATCH_UP_MODES ?? 'multi,one-per-request').split(',') as UploadMode[];
const TARGET_MS = 3000;
const TARGET_SPEEDUP = 20;

async function main() {
  const cluster = await startTestCluster({ migrationsDir: infraPaths.migrations });
  const runs: CatchUpRun[] = [];
  try {
    for (const n of SIZES) {
      for (const mode of MODES) {
        const url = await createTestDatabase(cluster);
        await seedIfEmpty(url, infraPaths.seed);
        await populate(url);
        const stack = await startStack(url);
        try {
          const run = await catchUp(stack, url, mode, n);
          console.log(JSON.stringify(run));
          runs.push(run);
        } finally {
          await stack.stop();
        }
      }
    }
  } finally {
    await cluster.stop();
  }
  await report(runs);
}

async function report(runs: CatchUpRun[]) {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
  const at = new Date().toISOString();
  const rows = SIZES.map((n) => {
    const multi = runs.find((r) => r.transactions === n && r.mode === 'multi');
    const one = runs.find((r) => r.transactions === n && r.mode === 'one-per-request');
    const speedup = multi && one ? one.visibleMs / multi.visibleMs : Number.NaN;
    return { n, multi, one, speedup };
  });
  const ten = rows.find((r) => r.n === 10_000);
  const targets = ten
    ? {
        under3s: (ten.multi?.visibleMs ?? Number.POSITIVE_INFINITY) < TARGET_MS,
        twentyTimes: ten.speedup >= TARGET_SPEEDUP,
      }
    : null;
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(
    new URL('./results/catch-up.json', import.meta.url),
    `${JSON.stringify({ at, machine, runs, targets }, null, 2)}\n`,
  );
  const line = (r: (typeof rows)[number]) =>
    `| ${r.n} | ${r.multi?.visibleMs ?? '–'} | ${r.multi?.queueEmptyMs ?? '–'} | ${r.multi?.transactionsPerSecond ?? '–'} | ${r.multi?.requests ?? '–'} | ${r.one?.visibleMs ?? '–'} | ${r.one?.transactionsPerSecond ?? '–'} | ${r.one?.requests ?? '–'} | ${r.speedup.toFixed(1)}× |`;
  const md = `# Catch-up benchmark

Command: \`npm run bench:catch-up -w @cr/api\` · ${at} · ${machine}, embedded Postgres, API and sync service in their own processes, loopback

A real \`@powersync/node\` client (a manager) makes N single-operation transactions offline (2/5 inventory
restocks, 2/5 task edits, 1/5 document edits, over 700 rows), reconnects, and is timed until its upload queue is
empty and every edited row shows the server's stamp locally. Then the local rows are compared with Postgres and the
ledger must hold exactly N applied operations. **chunked**: the connector kit's \`drainQueue\` (up to 2,000
operations / 2 MiB per request, multi-transaction form); **one per request**: the connector before (one
\`POST /api/data\` per client transaction). Each run on a fresh database with its own API and sync service.

| N | chunked: visible ms | chunked: queue empty ms | chunked tx/s | chunked requests | one per request: visible ms | one per request tx/s | requests | speed-up |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.map(line).join('\n')}

Targets (N = 10,000): under ${TARGET_MS} ms: ${targets ? (targets.under3s ? 'met' : 'NOT met') : 'not run'}; ≥ ${TARGET_SPEEDUP}× the baseline: ${targets ? (targets.twentyTimes ? 'met' : 'NOT met') : 'not run'}.
`;
  await writeFile(new URL('./results/catch-up.md', import.meta.url), md);
  console.log(md);
}

await main();
