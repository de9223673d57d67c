import { policy } from '@cr/demo-domain';
import type { Actor } from '@cr/strategies';
import { applyUpload, createEngine } from '@cr/upload-engine';
import type pg from 'pg';
import { applyBaseline, type BaselineMode } from './baseline.ts';
import type { Batch } from './workload.ts';

export interface Measured {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
}

/** Runs each client's batches in order, clients concurrently; the first `warmup` per client are not counted. */
export async function measure(
  clients: Batch[][],
  apply: (batch: Batch, client: number) => Promise<void>,
  warmup: number,
): Promise<Measured> {
  for (const [client, batches] of clients.entries()) {
    for (const batch of batches.slice(0, warmup)) await apply(batch, client);
  }
  const latencies: number[] = [];
  let ops = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (batches, client) => {
      for (const batch of batches.slice(warmup)) {
        const t0 = performance.now();
        await apply(batch, client);
        latencies.push(performance.now() - t0);
        ops += batch.entries.length;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { ops, seconds, opsPerSecond: ops / seconds, p50Ms: at(0.5), p95Ms: at(0.95) };
}

const ACTORS: Record<Batch['user'], Actor> = {
  carol: { id: 'carol', role: 'manager' },
  dan: { id: 'dan', role: 'doctor' },
};

const engine = createEngine(policy);

/** The upload engine's apply layer, called directly (no HTTP): comparable with the baseline function. */
export const adapter = (pool: pg.Pool) => async (batch: Batch, client: number) => {
  await applyUpload(pool, engine, {
    actor: ACTORS[batch.user],
    clientId: `bench-adapter-${client}-${batch.user}`,
    entries: batch.entries as never,
    now: new Date().toISOString(),
  });
};

/** The whole endpoint over HTTP on loopback: JSON, auth, validation, the adapter, the response. */
export const http =
  (address: string, tokens: Record<string, string>, outcomes: Record<string, number>) =>
  async (batch: Batch, client: number) => {
    const response = await fetch(`${address}/api/data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[batch.user]}` },
      // A client id belongs to one user: each simulated client keeps one per user.
      body: JSON.stringify({ client_id: `bench-http-${client}-${batch.user}`, batch: batch.entries }),
    });
    const result = (await response.json()) as { outcomes: { status: string }[] };
    if (response.status !== 200) throw new Error(`upload failed: ${response.status} ${JSON.stringify(result)}`);
    for (const o of result.outcomes) outcomes[o.status] = (outcomes[o.status] ?? 0) + 1;
  };

export const baseline = (pool: pg.Pool, mode: BaselineMode) => async (batch: Batch) => {
  await applyBaseline(pool, batch, mode);
};
