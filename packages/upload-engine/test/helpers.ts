import { createTestDatabase } from '@cr/db/testing';
import type { Actor } from '@cr/strategies';
import pg from 'pg';
import { inject } from 'vitest';
import { createUploadHandler, type UploadAnswer, type UploadHandler, type UploadHandlerOptions } from '../src/index.ts';
import { policy, seedMembers } from './workshop.ts';

export const NOW = '2026-11-22T12:00:00.000Z';

export interface TestEngine {
  url: string;
  pool: pg.Pool;
  handler: UploadHandler;
  sql<T extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  upload(actor: Actor, clientId: string, batch: unknown[]): Promise<UploadAnswer>;
  close(): Promise<void>;
}

/** A fresh workshop database (engine SQL + test/sql, members seeded) and an upload handler on it. */
export async function testEngine(options: Partial<UploadHandlerOptions> = {}): Promise<TestEngine> {
  const url = await createTestDatabase(inject('pgCluster'));
  // Pipelined, as the API's pool: BEGIN travels with the first read, COMMIT with the write.
  const pool = new pg.Pool({ connectionString: url, max: 6, pipeline: true });
  await seedMembers(pool);
  const handler = createUploadHandler({ pool, policy, clock: () => new Date(NOW), ...options });
  return {
    url,
    pool,
    handler,
    sql: async (text, params) => (await pool.query(text, params)).rows,
    upload: (actor, clientId, batch) => handler.handle({ actor, body: { client_id: clientId, batch } }),
    close: () => pool.end(),
  };
}

/** CrudEntry JSON the way a client's upload queue builds it, numbering operations per client. */
export function crud() {
  let opId = 0;
  const entry = (op: string, type: string, id: string, rest: Record<string, unknown>) => ({
    op_id: ++opId,
    op,
    type,
    id,
    tx_id: 1,
    ...rest,
  });
  return {
    put: (type: string, id: string, data: Record<string, unknown>) => entry('PUT', type, id, { data }),
    patch: (
      type: string,
      id: string,
      data: Record<string, unknown>,
      old?: Record<string, unknown>,
      metadata?: unknown,
    ) =>
      entry('PATCH', type, id, {
        data,
        ...(old ? { old } : {}),
        ...(metadata ? { metadata: JSON.stringify(metadata) } : {}),
      }),
    del: (type: string, id: string, old?: Record<string, unknown>) => entry('DELETE', type, id, old ? { old } : {}),
  };
}

export const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Polls until `check` returns a truthy value (waiting on a state, never a fixed sleep). */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
