import type { FaultClient } from './client.ts';
import type { FaultStack } from './fault-stack.ts';
import type { History } from './history.ts';
import type { Random } from './random.ts';

export const FAULTS = [
  'partition',
  'drop-acks',
  'kill-api',
  'kill-sync',
  'pause-sync',
  'restart-postgres',
  'reopen-client',
  'slow-sync',
] as const;
export type Fault = (typeof FAULTS)[number];

const INFRA: readonly Fault[] = ['kill-api', 'kill-sync', 'pause-sync', 'restart-postgres'];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Breaks things at random moments, like Jepsen's nemesis: cuts a client's network (every open
 * connection, the sync stream included), loses the answers to uploads the API did apply, kills
 * the API or the sync service (SIGTERM or SIGKILL) and starts it again, pauses the sync service
 * (SIGSTOP … SIGCONT), crashes or stops Postgres and starts it again, quits a client with
 * uploads pending and reopens it, and slows a client's sync stream down to a line at a time. Server faults come one at a time (each ends before the next);
 * client faults overlap them, one per client at a time.
 */
export class Nemesis {
  readonly counts = Object.fromEntries(FAULTS.map((fault) => [fault, 0])) as Record<Fault, number>;
  /** Server faults by how they happened: "kill-sync SIGKILL", "restart-postgres crash", … */
  readonly kinds: Record<string, number> = {};
  /** Server faults run one after the other; at most one waits its turn (besides the first round). */
  private infraChain: Promise<void> = Promise.resolve();
  private infraWaiting = 0;
  private readonly clientsBusy = new Set<string>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly stack: FaultStack,
    private readonly clients: readonly FaultClient[],
    private readonly history: History,
    private readonly random: Random,
    private readonly enabled: readonly Fault[],
    /** One local transaction on a client (to leave an upload pending before quitting it). */
    private readonly writeOne: (client: FaultClient) => Promise<unknown>,
  ) {}

  /** Injects faults until `stopAt` (ms), then waits for the last ones to end. */
  async run(stopAt: number): Promise<void> {
    // The first round has every enabled fault once, in random order, so short runs have them all.
    const firstRound = this.random.shuffle([...this.enabled]);
    while (this.enabled.length > 0 && Date.now() < stopAt) {
      await pause(this.random.int(200, 1200));
      const planned = firstRound.shift();
      const fault = planned ?? this.random.pick(this.enabled);
      const task = this.inject(fault, planned !== undefined).catch((error: unknown) => {
        this.history.fault(fault, 'nemesis', 'end', `failed: ${error instanceof Error ? error.message : error}`);
      });
      this.running.add(task);
      void task.finally(() => this.running.delete(task));
    }
    await Promise.all([...this.running]);
  }

  /** Everything back: networks, paused and stopped processes, closed clients. */
  async healAll(): Promise<void> {
    for (const client of this.clients) {
      client.heal();
      client.lineDelayMs = 0;
      client.uploader.dropNext = 0;
      if (!client.isOpen) await client.openDatabase();
    }
    this.stack.resume('sync');
    if (!this.stack.postgres) await this.stack.startPostgres();
    await this.stack.startService('api');
    await this.stack.startService('sync');
  }

  private async inject(fault: Fault, mustRun: boolean): Promise<void> {
    if (INFRA.includes(fault)) {
      if (this.infraWaiting > 0 && !mustRun) return;
      this.infraWaiting += 1;
      const turn = this.infraChain.then(async () => {
        this.infraWaiting -= 1;
        await this.infra(fault);
      });
      this.infraChain = turn.catch(() => {});
      return turn;
    }
    let free = this.clients.filter((c) => !this.clientsBusy.has(c.name) && c.isOpen);
    while (free.length === 0 && mustRun) {
      await pause(100);
      free = this.clients.filter((c) => !this.clientsBusy.has(c.name) && c.isOpen);
    }
    if (free.length === 0) return;
    const client = this.random.pick(free);
    this.clientsBusy.add(client.name);
    try {
      await this.onClient(fault, client);
    } finally {
      this.clientsBusy.delete(client.name);
    }
  }

  private async infra(fault: Fault): Promise<void> {
    const { stack, random, history } = this;
    this.counts[fault] += 1;
    if (fault === 'pause-sync') {
      history.fault(fault, 'sync', 'start');
      stack.pause('sync');
      await pause(random.int(300, 3000));
      stack.resume('sync');
      history.fault(fault, 'sync', 'end');
    } else if (fault === 'restart-postgres') {
      const crash = this.kindOf(fault, ['crash', 'fast'], random.chance(0.7) ? 'crash' : 'fast') === 'crash';
      history.fault(fault, 'postgres', 'start', crash ? 'crash (immediate shutdown)' : 'fast shutdown');
      await stack.stopPostgres(crash);
      await pause(random.int(200, 2000));
      await stack.startPostgres();
      history.fault(fault, 'postgres', 'end');
    } else {
      const service = fault === 'kill-api' ? 'api' : 'sync';
      const signal = this.kindOf(fault, ['SIGTERM', 'SIGKILL'] as const, random.chance(0.5) ? 'SIGTERM' : 'SIGKILL');
      const exit = await stack.stopService(service, signal);
      history.fault(fault, service, 'start', `${signal}: exit ${exit}`);
      await pause(random.int(100, 2000));
      await stack.startService(service);
      history.fault(fault, service, 'end');
    }
  }

  /**
   * How a server fault happens this time: `chosen` (the random choice), unless a kind has not
   * happened yet, so that a run with a few kills of a service has both signals. Counted.
   */
  private kindOf<K extends string>(fault: Fault, kinds: readonly K[], chosen: K): K {
    const kind = kinds.find((k) => this.kinds[`${fault} ${k}`] === undefined) ?? chosen;
    this.kinds[`${fault} ${kind}`] = (this.kinds[`${fault} ${kind}`] ?? 0) + 1;
    return kind;
  }

  private async onClient(fault: Fault, client: FaultClient): Promise<void> {
    const { random, history } = this;
    this.counts[fault] += 1;
    if (fault === 'partition') {
      history.fault(fault, client.name, 'start');
      client.partition();
      await pause(random.int(500, 4000));
      client.heal();
      history.fault(fault, client.name, 'end');
    } else if (fault === 'drop-acks') {
      const count = random.int(1, 3);
      client.uploader.dropNext += count;
      history.fault(fault, client.name, 'start', `the next ${count} answer(s)`);
    } else if (fault === 'slow-sync') {
      client.lineDelayMs = random.int(20, 250);
      history.fault(fault, client.name, 'start', `${client.lineDelayMs} ms per sync line`);
      await pause(random.int(1000, 6000));
      client.lineDelayMs = 0;
      history.fault(fault, client.name, 'end');
    } else if (fault === 'reopen-client') {
      // A write that cannot be uploaded yet, then the app is quit and started again.
      client.apiProxy.offline();
      await this.writeOne(client).catch(() => {});
      history.fault(fault, client.name, 'start', `closed with ${await client.queued()} operation(s) queued`);
      await client.closeDatabase();
      client.apiProxy.online();
      await pause(random.int(0, 1000));
      await client.openDatabase();
      history.fault(fault, client.name, 'end');
    }
  }
}
