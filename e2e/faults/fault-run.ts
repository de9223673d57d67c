import type { Role } from '@cr/demo-domain';
import { runCheckers } from './checkers/run-checkers.ts';
import type { CheckResult } from './checkers/violation.ts';
import { FaultClient } from './client.ts';
import { FaultStack } from './fault-stack.ts';
import { type ClientRead, History, type OutcomeStatus } from './history.ts';
import { FAULTS, type Fault, Nemesis } from './nemesis.ts';
import { Observer } from './observer.ts';
import { Random } from './random.ts';
import { settle } from './settle.ts';
import { randomTransaction } from './workload.ts';

export interface FaultRunOptions {
  seed: number;
  /** How long the workload and the faults run (ms). */
  durationMs: number;
  clients: number;
  faults: readonly Fault[];
  /** Folder for the services' logs. */
  logDir: string;
  /** Bound on the time to converge after the faults stop (ms). */
  settleMs?: number;
  log?: (line: string) => void;
}

export interface FaultRunReport {
  seed: number;
  clients: number;
  durationMs: number;
  faults: Record<Fault, number>;
  /** Server faults by signal or kind of shutdown ("kill-sync SIGKILL": 3). */
  faultKinds: Record<string, number>;
  stats: {
    transactions: number;
    operations: number;
    /** Operations by outcome. */
    outcomes: Record<OutcomeStatus | 'none', number>;
    uploads: number;
    lostAnswers: number;
    reads: number;
    commits: number;
  };
  /** Time from the end of the faults until every client matched Postgres (null: never, within the bound). */
  settledMs: number | null;
  /** Time from the end of the faults until every upload queue was empty and the worker done. */
  drainedMs: number | null;
  /** Operations the clients still had queued when the faults ended. */
  queuedAtEnd: number;
  results: CheckResult[];
  ok: boolean;
  logDir: string;
}

/** Demo users in the order clients get them (several devices per user when there are more than six). */
const USERS: readonly [string, Role][] = [
  ['alice', 'clerk'],
  ['dan', 'doctor'],
  ['carol', 'manager'],
  ['nina', 'nurse'],
  ['bob', 'clerk'],
  ['rita', 'reviewer'],
];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A seeded fault run: the stack, N clients each writing random transactions and reading their
 * local database, the nemesis, then all faults healed, a bounded wait for everything to settle,
 * and the checkers over the recorded history and Postgres' committed versions.
 */
export async function runFaults(options: FaultRunOptions): Promise<FaultRunReport> {
  const log = options.log ?? (() => {});
  const history = new History();
  const random = new Random(options.seed);
  const created: Observer[] = [];
  const stack = await FaultStack.start(options.logDir, async (url) => {
    created.push(await Observer.create(url));
  });
  const watcher = created[0];
  if (!watcher) {
    await stack.stop();
    throw new Error('the observer was not created');
  }
  let observing = true;
  const observing$ = (async () => {
    while (observing) {
      await watcher.poll();
      await pause(100);
    }
  })();
  const clients: FaultClient[] = [];
  try {
    for (let i = 0; i < options.clients; i++) {
      const [user, role] = USERS[i % USERS.length] as [string, Role];
      const spec = { name: `c${i + 1}`, user, role, apiPort: stack.apiPort, syncPort: stack.syncPort, history };
      clients.push(await FaultClient.start(spec));
    }
    for (const client of clients) await client.db?.waitForFirstSync({ signal: AbortSignal.timeout(120_000) });
    await watcher.poll();
    history.workloadStartSeq = watcher.seq;
    log(`stack up, ${clients.length} clients synced; faults for ${options.durationMs / 1000} s (seed ${options.seed})`);

    const stopAt = Date.now() + options.durationMs;
    const writers = clients.map((client) => writeLoop(client, random.fork(`write-${client.name}`), stopAt));
    const readers = clients.map((client) => readLoop(client, random.fork(`read-${client.name}`), history, stopAt));
    const nemesis = new Nemesis(stack, clients, history, random.fork('nemesis'), options.faults, (client) =>
      randomTransaction(client, random.fork(`reopen-${client.name}`)),
    );
    await nemesis.run(stopAt);
    await Promise.all([...writers, ...readers]);
    await nemesis.healAll();
    log(`faults over (${describeCounts(nemesis.counts)}); waiting for everything to settle`);

    const settled = await settle(clients, stack, watcher, history, options.settleMs ?? 60_000, log);
    const results = await runCheckers({ history, observer: watcher, stack, finalReads: settled.reads });
    const boundMs = options.settleMs ?? 60_000;
    // The last look may end a little after the bound: only within the bound counts.
    const stalled = settled.ms === null || settled.ms > boundMs;
    const ok = results.every((result) => result.violations.length === 0) && !stalled;
    return {
      seed: options.seed,
      clients: clients.length,
      durationMs: options.durationMs,
      faults: nemesis.counts,
      faultKinds: nemesis.kinds,
      stats: {
        transactions: history.issued.length,
        operations: history.issued.reduce((n, tx) => n + tx.ops.length, 0),
        outcomes: history.outcomeCounts(),
        uploads: history.uploads.length,
        lostAnswers: history.uploads.filter((u) => u.dropped).length,
        reads: history.reads.length,
        commits: watcher.seq - history.workloadStartSeq,
      },
      settledMs: settled.ms,
      drainedMs: settled.drainedMs,
      queuedAtEnd: settled.queuedAtStart,
      results: [
        {
          checker: 'no stall',
          checked: `settled within ${boundMs / 1000} s`,
          violations: stalled ? [{ checker: 'no stall', message: `not settled within ${boundMs / 1000} s` }] : [],
        },
        ...results,
      ],
      ok,
      logDir: options.logDir,
    };
  } finally {
    observing = false;
    await observing$;
    for (const client of clients) await client.stop().catch(() => {});
    await watcher.close().catch(() => {});
    await stack.stop();
  }
}

async function writeLoop(client: FaultClient, random: Random, stopAt: number): Promise<void> {
  // Reviewers mostly read: a client without uploads pending applies every checkpoint as it comes.
  const [least, most] = client.spec.role === 'reviewer' ? [1500, 5000] : [100, 700];
  while (Date.now() < stopAt) {
    if (client.isOpen) await randomTransaction(client, random).catch(() => {});
    await pause(random.int(least, most));
  }
}

async function readLoop(client: FaultClient, random: Random, history: History, stopAt: number): Promise<void> {
  let last = '';
  while (Date.now() < stopAt) {
    const read = await client.read().catch(() => null);
    if (read) {
      const signature = signatureOf(read);
      if (signature !== last) history.reads.push(read);
      last = signature;
    }
    await client.nextChange(random.int(150, 400));
  }
}

function signatureOf(read: ClientRead): string {
  const parts = read.groups.map((g) => [...g.rows].map(([k, v]) => `${k}=${v}`).join(','));
  return `${parts.join('|')}|${[...read.excluded].join(',')}`;
}

export function describeCounts(counts: Record<Fault, number>): string {
  return FAULTS.map((fault) => `${fault} ${counts[fault]}`).join(', ');
}
