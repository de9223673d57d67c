import path from 'node:path';
import { expect, it } from 'vitest';
import { runFaults } from './fault-run.ts';
import { FAULTS } from './nemesis.ts';
import { formatReport } from './report.ts';

/**
 * The short fault run of `npm test`: the whole stack, four real Node clients, every fault, about
 * a minute. FAULTS_SEED / FAULTS_DURATION (seconds) choose another run; longer runs and more
 * clients: `npm run faults -w @cr/e2e -- --seed N --duration 600 --clients 10` (README).
 */
const seed = Number(process.env.FAULTS_SEED ?? 20261201);
const duration = Number(process.env.FAULTS_DURATION ?? 35);
const clients = 4;

it(`passes every checker under every fault (seed ${seed})`, async () => {
  const report = await runFaults({
    seed,
    durationMs: duration * 1000,
    clients,
    faults: FAULTS,
    settleMs: 60_000,
    logDir: path.resolve(import.meta.dirname, '../.faults', `test-${seed}`),
  });
  const rerun = `FAULTS_SEED=${seed} FAULTS_DURATION=${duration} npm test -w @cr/e2e, or npm run faults -w @cr/e2e -- --seed ${seed} --duration ${duration} --clients ${clients}`;
  const text = formatReport(report, rerun);
  console.info(text);
  const failed = report.results.filter((result) => result.violations.length > 0).map((result) => result.checker);
  expect(failed, text).toEqual([]);
  expect(report.stats.transactions).toBeGreaterThan(50);
  expect(
    Object.values(report.faults).every((count) => count > 0),
    `every fault injected: ${text}`,
  ).toBe(true);
}, 300_000);
