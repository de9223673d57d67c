import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type FaultRunOptions, runFaults } from './fault-run.ts';
import { FAULTS, type Fault } from './nemesis.ts';
import { formatReport } from './report.ts';

/**
 * The fault suite from the command line:
 *   npm run faults -w @cr/e2e -- [--seed N] [--duration 600] [--clients 10] [--faults all|none|a,b] [--settle 180]
 * Exit code 1 when a checker found something; the report names the seed to run it again.
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    duration: { type: 'string', default: '60' },
    clients: { type: 'string', default: '10' },
    faults: { type: 'string', default: 'all' },
    settle: { type: 'string', default: '180' },
    'log-dir': { type: 'string' },
  },
});

export function parseFaults(text: string): Fault[] {
  if (text === 'all') return [...FAULTS];
  if (text === 'none') return [];
  const chosen = text.split(',').map((name) => name.trim());
  for (const name of chosen) {
    if (!FAULTS.includes(name as Fault)) throw new Error(`unknown fault ${name}; known: ${FAULTS.join(', ')}`);
  }
  return chosen as Fault[];
}

const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const options: FaultRunOptions = {
  seed,
  durationMs: Number(values.duration) * 1000,
  clients: Number(values.clients),
  faults: parseFaults(values.faults ?? 'all'),
  settleMs: Number(values.settle) * 1000,
  logDir: values['log-dir'] ?? path.resolve(import.meta.dirname, '../.faults', String(seed)),
  log: (line) => process.stdout.write(`${line}\n`),
};
const rerun =
  `npm run faults -w @cr/e2e -- --seed ${seed} --duration ${values.duration} --clients ${values.clients}` +
  (values.faults === 'all' ? '' : ` --faults ${values.faults}`) +
  (values.settle === '180' ? '' : ` --settle ${values.settle}`);
try {
  const started = Date.now();
  const report = await runFaults(options);
  const text = formatReport(report, rerun);
  process.stdout.write(`${text}\n  wall time: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  // Kept beside the services' logs, for the record of a run (e2e/faults/README.md, Results).
  await writeFile(path.join(options.logDir, 'report.txt'), `${text}\n`);
  await writeFile(
    path.join(options.logDir, 'report.json'),
    `${JSON.stringify({ ...report, wallMs: Date.now() - started, rerun }, null, 2)}\n`,
  );
  process.exit(report.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(
    `fault run with seed ${seed} could not complete: ${error instanceof Error ? error.stack : error}\n`,
  );
  process.stderr.write(`rerun: ${rerun}\n`);
  process.exit(2);
}
