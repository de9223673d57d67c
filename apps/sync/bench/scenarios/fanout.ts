import pg from 'pg';
import { JwksServer } from '../../test/jwks-server.ts';
import { startSyncChild } from '../bench-stack.ts';
import { type LineClient, openLineClient } from '../line-client.ts';
import { type BenchResult, below } from '../result.ts';
import { summarize } from '../stats.ts';

const CLIENTS = 200;
const ROUNDS = 50;
const MB = 1024 * 1024;

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * 200 connected clients (protocol-level clients; each its own user, so its own per-user bucket
 * besides the shared one). One row changes per round; the time from the UPDATE until each client
 * has received the new row, and the sync service's resident memory (it runs as its own process).
 */
export async function fanoutBench(database: () => Promise<string>): Promise<BenchResult[]> {
  const databaseUrl = await database();
  const jwks = await JwksServer.start();
  const sync = await startSyncChild(databaseUrl, jwks.url);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const clients: LineClient[] = [];
  let peak = 0;
  const sampler = setInterval(() => {
    sync.rss().then(
      (rss) => {
        peak = Math.max(peak, rss);
      },
      () => {},
    );
  }, 50);
  try {
    const idle = await sync.rss();
    const arrivals: Map<number, number>[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const times = new Map<number, number>();
      arrivals.push(times);
      const token = await jwks.sign({ sub: `user-${i}`, role: 'clerk' });
      clients.push(
        await openLineClient(sync.url, token, (line) => {
          const match = /\\"quantity\\":(\d+)/.exec(line);
          if (match && line.startsWith('{"data"')) {
            const value = Number(match[1]);
            if (!times.has(value)) times.set(value, performance.now());
          }
        }),
      );
    }
    await until(() => clients.every((c) => c.completed >= 1), 60_000, 'every client to sync');
    const connected = await sync.rss();

    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const quantity = 100_000 + round;
      const started = performance.now();
      await pool.query(`UPDATE inventory SET quantity = $1 WHERE sku = 'MUG-BLUE'`, [quantity]);
      await until(() => arrivals.every((times) => times.has(quantity)), 15_000, `round ${round}`);
      for (const times of arrivals) samples.push((times.get(quantity) ?? 0) - started);
    }
    const stats = summarize(samples);
    const after = await sync.rss();
    peak = Math.max(peak, after);
    return [
      {
        scenario: 'fanout',
        metric: `checkpoint fan-out to ${CLIENTS} connected clients, p95 (ms)`,
        value: stats.p95,
        unit: 'ms',
        ...below(stats.p95, 200),
        details: { ...stats, clients: CLIENTS, rounds: ROUNDS, measuredFrom: 'UPDATE sent' },
      },
      {
        scenario: 'fanout',
        metric: `sync service memory with ${CLIENTS} connected clients, peak RSS (MB)`,
        value: Math.round(peak / MB),
        unit: 'MB',
        ...below(peak / MB, 300),
        details: {
          idleMB: Math.round(idle / MB),
          connectedMB: Math.round(connected / MB),
          afterRoundsMB: Math.round(after / MB),
        },
      },
    ];
  } finally {
    clearInterval(sampler);
    for (const client of clients) client.close();
    await pool.end();
    await sync.stop();
    await jwks.close();
  }
}
