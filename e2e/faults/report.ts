import { describeCounts, type FaultRunReport } from './fault-run.ts';

/** The run in a few lines: what happened, each checker's verdict, and how to run it again. */
export function formatReport(report: FaultRunReport, rerun: string): string {
  const { stats } = report;
  const lines = [
    `fault run, seed ${report.seed}: ${report.clients} clients, ${report.durationMs / 1000} s of faults`,
    `  faults: ${describeCounts(report.faults)}`,
    `  server faults by kind: ${Object.entries(report.faultKinds)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ')}`,
    `  workload: ${stats.transactions} transactions (${stats.operations} operations), ${stats.uploads} uploads ` +
      `(${stats.lostAnswers} answers lost), ${stats.commits} commits observed, ${stats.reads} distinct reads`,
    `  outcomes: ${Object.entries(stats.outcomes)
      .map(([status, n]) => `${n} ${status}`)
      .join(', ')}`,
    `  settled: ${report.settledMs === null ? 'NO' : `${seconds(report.settledMs)} after the faults stopped`} ` +
      `(${report.queuedAtEnd} operations were queued then; uploads drained after ` +
      `${report.drainedMs === null ? 'never' : seconds(report.drainedMs)})`,
  ];
  for (const result of report.results) {
    const verdict = result.violations.length === 0 ? 'ok' : `${result.violations.length} VIOLATION(S)`;
    lines.push(`  ${result.checker.padEnd(20)} ${verdict.padEnd(16)} (${result.checked})`);
    for (const violation of result.violations.slice(0, 10)) {
      const at = violation.at ? ` [${new Date(violation.at).toISOString()}]` : '';
      lines.push(`      - ${violation.message}${at}`);
    }
  }
  lines.push(report.ok ? `  PASSED (seed ${report.seed})` : `  FAILED with seed ${report.seed}: ${rerun}`);
  lines.push(`  service logs: ${report.logDir}`);
  return lines.join('\n');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
