import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCluster, syncRoot } from './bench-stack.ts';
import type { BenchResult } from './result.ts';
import { backlogBench } from './scenarios/backlog.ts';
import { fanoutBench } from './scenarios/fanout.ts';
import { initialSyncBench, memoryBench } from './scenarios/initial-sync.ts';
import { replicationBench } from './scenarios/replication.ts';
import { writeLatencyBench } from './scenarios/write-latency.ts';

/**
 * `npm run bench -w @cr/sync [-- scenario...]`: runs the benchmarks of the sync service and writes
 * bench/results/bench.json and bench/results/bench.md (scenarios not run keep their last figures).
 */
const scenarios: Record<string, (database: () => Promise<string>) => Promise<BenchResult[]>> = {
  replication: replicationBench,
  'initial-sync': initialSyncBench,
  'write-latency': writeLatencyBench,
  fanout: fanoutBench,
  memory: memoryBench,
  backlog: backlogBench,
};

/** `--report`: rewrite bench.md from bench.json without running anything. */
const reportOnly = process.argv.includes('--report');
const requested = process.argv.slice(2).filter((arg) => arg !== '--report');
const unknown = requested.filter((name) => !(name in scenarios));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}\n`);
  process.exit(2);
}
const names = requested.length > 0 ? requested : Object.keys(scenarios);
const resultsDir = path.join(syncRoot, 'bench/results');
const jsonFile = path.join(resultsDir, 'bench.json');

interface Run {
  at: string;
  command: string;
  /** 1-minute load average before and after: other work on the machine skews the figures. */
  load: [number, number];
  results: BenchResult[];
}

interface Report {
  machine: Record<string, unknown>;
  runs: Record<string, Run>;
}

/** Two-space JSON with arrays of plain values on one line, as the repository's formatter writes it. */
function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\n\s*([^[\]{}]*?)\n\s*\]/g, (_, items: string) => {
    return `[${items.split(/,\n\s*/).join(', ')}]`;
  });
}

function markdown(report: Report): string {
  const lines = [
    '# apps/sync benchmarks',
    '',
    `Machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGB} GB, Node ${report.machine.node}.`,
    'Postgres: embedded (18), same machine. Every figure below comes from the command next to it. The machine',
    'is shared with other work: the load column says how busy it was, and rates and latencies move with it.',
    '',
    '| scenario | metric | measured | target | | load (1 min, before/after) | command |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [name, run] of Object.entries(report.runs)) {
    for (const r of run.results) {
      lines.push(
        `| ${name} | ${r.metric} | ${r.value} ${r.unit} | ${r.target} | ${r.pass ? 'met' : 'MISSED'} | ` +
          `${run.load.map((l) => l.toFixed(1)).join(' / ')} | \`${run.command}\` |`,
      );
    }
  }
  lines.push(
    '',
    '## How each figure is measured',
    '',
    '- **replication**: rows are committed while the service is stopped (the slot keeps them), then it starts;',
    '  the clock runs from the first change it receives until a checkpoint covers the last commit. Postgres first',
    "  re-reads WAL up to the slot's position; `fromStreamStart` in the details includes that.",
    '- **backlog**: the service (its own process) is paused with SIGSTOP while 20,000 rows are committed in 1,000',
    '  transactions, then resumed; the clock runs from SIGCONT until `/health` shows a checkpoint at or past the last',
    '  commit (`deliveredMs`: until every connected stream has completed the checkpoint with the last row). First with',
    '  no stream connected, then with 50 protocol-level streams, in the same run on the same service.',
    '- **initial-sync**: 100,000 tasks (random UUID keys) in the `team` bucket; a fresh `@powersync/node` client',
    '  from `connect()` until `waitForFirstSync()` with every row in its table; three runs, the median. The sync',
    '  service runs as its own process; `serverOnlyMs` is the same download by a plain HTTP client. Bytes on the',
    '  wire: the same download read with node:http in each encoding (gzip counted compressed). Peak RSS of the',
    '  service process, sampled every 50 ms from its start (snapshot included) to the end of the scenario.',
    '- **memory**: the same with 120,000 rows and one Node client (the run of issue 13).',
    '- **write-latency**: the upload API and the sync service as processes; one Node client edits a task',
    '  (`crudUploadThrottleMs: 0`), its connector posts to `POST /api/data`; ten other Node clients watch the row.',
    '  Time from the local write until each reader sees it; 40 rounds after 3 warm-up rounds.',
    '- **fanout**: 200 protocol-level clients (one `POST /sync/stream` each, every one its own user), the sync',
    '  service as its own process; 50 rounds of one UPDATE of a shared row, time from sending it until each',
    '  client has the data line; memory is the peak resident size of the service process, sampled every 50 ms.',
    '',
    '## Details',
    '',
  );
  for (const [name, run] of Object.entries(report.runs)) {
    lines.push(`### ${name} (${run.at})`, '');
    for (const r of run.results) lines.push(`- ${r.metric}: \`${JSON.stringify(r.details)}\``);
    lines.push('');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const report: Report = existsSync(jsonFile)
    ? JSON.parse(await readFile(jsonFile, 'utf8'))
    : { machine: {}, runs: {} };
  report.machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
  };
  // Run under `nice -n -15` on a shared machine (its processes and the Postgres it starts go
  // first); the command in the report says so.
  const priority = os.getPriority();
  const niceness = priority === 0 ? '' : `nice -n ${priority} `;
  const cluster = reportOnly ? null : await startCluster();
  try {
    for (const name of names) {
      const run = scenarios[name];
      if (!run || !cluster) continue;
      process.stdout.write(`bench ${name}: running\n`);
      const loadBefore = os.loadavg()[0] ?? 0;
      const results = await run(() => cluster.database());
      for (const r of results) {
        process.stdout.write(`bench ${name}: ${r.metric} = ${r.value} ${r.unit} (target ${r.target})\n`);
      }
      report.runs[name] = {
        at: new Date().toISOString(),
        command: `${niceness}npm run bench -w @cr/sync -- ${name}`,
        load: [loadBefore, os.loadavg()[0] ?? 0].map((l) => Math.round(l * 100) / 100) as [number, number],
        results,
      };
    }
  } finally {
    await cluster?.stop();
  }
  await mkdir(resultsDir, { recursive: true });
  await writeFile(jsonFile, `${toJson(report)}\n`);
  await writeFile(path.join(resultsDir, 'bench.md'), `${markdown(report)}\n`);
  process.stdout.write(`bench: wrote ${path.relative(process.cwd(), jsonFile)} and bench.md\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
