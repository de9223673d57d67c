import { checkConvergence } from './checkers/convergence.ts';
import type { FaultClient } from './client.ts';
import type { FaultStack } from './fault-stack.ts';
import type { ClientRead, History } from './history.ts';
import type { Observer } from './observer.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until queues are empty, the field-change worker is done and every client matches
 * Postgres. Also measures the part of that wait which is the backlog of uploads (queued while
 * networks were cut or services down) draining, and logs what is still pending every 10 s.
 */
export async function settle(
  clients: readonly FaultClient[],
  stack: FaultStack,
  observer: Observer,
  history: History,
  boundMs: number,
  log: (line: string) => void,
): Promise<Settled> {
  const started = Date.now();
  let reads: ClientRead[] = [];
  let queuedAtStart: number | null = null;
  let drainedMs: number | null = null;
  let nextLog = started + 10_000;
  while (Date.now() - started < boundMs) {
    reads = [];
    let queued = 0;
    for (const client of clients) {
      const read = await client.read().catch(() => null);
      if (read) reads.push(read);
      queued += Math.max(0, await client.queued().catch(() => 0));
    }
    queuedAtStart ??= queued;
    const pending = await stack.pendingFieldChanges().catch(() => -1);
    if (drainedMs === null && queued === 0 && pending === 0) drainedMs = Date.now() - started;
    await observer.poll();
    const differences = checkConvergence({
      clients: history.clients,
      reads,
      rows: observer.rows.values(),
      lastSeq: observer.seq,
    });
    if (pending === 0 && reads.length === clients.length && differences.length === 0) {
      return { ms: Date.now() - started, drainedMs, queuedAtStart, reads };
    }
    if (Date.now() >= nextLog) {
      nextLog += 10_000;
      const behind = new Set(differences.map((d) => d.message.split(' ')[0]));
      log(
        `  settling, ${((Date.now() - started) / 1000).toFixed(0)} s: ${queued} operation(s) queued, ` +
          `${pending} field change(s) pending, not yet converged: ${[...behind].join(' ') || 'none'}`,
      );
      if (queued === 0) for (const difference of differences.slice(0, 3)) log(`    ${difference.message}`);
    }
    await pause(250);
  }
  return { ms: null, drainedMs, queuedAtStart: queuedAtStart ?? 0, reads };
}

export interface Settled {
  /** From the end of the faults until everything matched (null: not within the bound). */
  ms: number | null;
  /** From the end of the faults until no client had anything queued and the worker was done. */
  drainedMs: number | null;
  /** Operations queued on the clients when the faults ended. */
  queuedAtStart: number;
  reads: ClientRead[];
}
