import type { OperationOutcome } from '@cr/connector-kit';
import { seedIfEmpty } from '@cr/db';
import { createTestDatabase } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/env.ts';
import { generateSigningKeys } from '../src/plugins/app/keys.ts';
import { createPool } from '../src/plugins/external/db.ts';

export const IDS = {
  task: '10000000-0000-4000-8000-000000000001',
  task2: '10000000-0000-4000-8000-000000000002',
  doc: '20000000-0000-4000-8000-000000000001',
  patient: '30000000-0000-4000-8000-000000000001',
  mug: '40000000-0000-4000-8000-000000000001',
  cap: '40000000-0000-4000-8000-000000000003',
  pendingOrder: '50000000-0000-4000-8000-000000000001',
  processingOrder: '50000000-0000-4000-8000-000000000002',
  shippedOrder: '50000000-0000-4000-8000-000000000003',
} as const;

export interface TestApp {
  app: FastifyInstance;
  url: string;
  privateJwk: JWK;
  /** Runs SQL against the test database. */
  sql<T extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  token(user: string): Promise<string>;
  /** Uploads one batch as `user` from `clientId`; returns status and body. */
  upload(user: string, clientId: string, batch: unknown[]): Promise<{ status: number; body: UploadBody }>;
  /** Uploads a request body given as JSON text (for values JSON.stringify cannot write, like 10k-deep JSON). */
  uploadText(user: string, body: string): Promise<{ status: number; body: UploadBody }>;
  close(): Promise<void>;
}

export type UploadBody = { outcomes: OperationOutcome[]; error?: { code: string; message: string } };

/** A fresh seeded database and an app on it (field-change worker not started unless asked). */
export async function testApp(options: { startWorker?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const url = await createTestDatabase(inject('pgCluster'));
  await seedIfEmpty(url, infraPaths.seed);
  const keys = await generateSigningKeys();
  const config = loadConfig({ DATABASE_URL: url, JWT_PRIVATE_JWK: JSON.stringify(keys.privateJwk), ...options.env });
  const app = await buildApp({ config, startWorker: options.startWorker ?? false });
  await app.ready();
  const pool = createPool(url, 4);
  const tokens = new Map<string, string>();
  const token = async (user: string) => {
    const cached = tokens.get(user);
    if (cached) return cached;
    const response = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { user } });
    if (response.statusCode !== 200) throw new Error(`token for ${user}: ${response.body}`);
    const value = (response.json() as { token: string }).token;
    tokens.set(user, value);
    return value;
  };
  return {
    app,
    url,
    privateJwk: keys.privateJwk,
    sql: async (text, params) => (await pool.query(text, params)).rows,
    token,
    async upload(user, clientId, batch) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/data',
        headers: { authorization: `Bearer ${await token(user)}` },
        payload: { client_id: clientId, batch },
      });
      return { status: response.statusCode, body: response.json() as UploadBody };
    },
    async uploadText(user, body) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/data',
        headers: { authorization: `Bearer ${await token(user)}`, 'content-type': 'application/json' },
        payload: body,
      });
      return { status: response.statusCode, body: response.json() as UploadBody };
    },
    async close() {
      await app.close();
      await pool.end();
    },
  };
}

/** Builds CrudEntry JSON the way a client's upload queue would, numbering operations per client. */
export function crud() {
  let opId = 0;
  let txId = 0;
  const entry = (op: string, type: string, id: string, rest: Record<string, unknown>) => ({
    op_id: ++opId,
    op,
    type,
    id,
    tx_id: txId,
    ...rest,
  });
  return {
    /** Starts a new client transaction for the following entries. */
    tx() {
      txId += 1;
      return this;
    },
    put: (type: string, id: string, data: Record<string, unknown>, metadata?: unknown) =>
      entry('PUT', type, id, { data, ...(metadata ? { metadata: JSON.stringify(metadata) } : {}) }),
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

const DOMAIN_TABLES = [
  'users',
  'tasks',
  'documents',
  'patients',
  'inventory',
  'orders',
  'write_conflicts',
  'field_changes',
];

/** Every domain row, to show that a refused request changed nothing. */
export async function snapshot(t: TestApp): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of DOMAIN_TABLES) result[table] = await t.sql(`SELECT * FROM ${table} ORDER BY id`);
  return result;
}

/** Polls until `check` returns a truthy value (waiting on a state, never a fixed sleep). */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** JSON text nested `depth` levels deep: `[[[…]]]`, or `{"a":{"a":…1}}` with `object`. */
export function deepJson(depth: number, object = false): string {
  return object ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/**
 * The JSON text of an upload body in which each `"@name"` string is replaced by `raw[name]`, a
 * JSON fragment: how tests send values that JSON.stringify cannot write (10,000-deep nesting).
 */
export function rawBody(clientId: string, batch: unknown[], raw: Record<string, string>): string {
  return rawText({ client_id: clientId, batch }, raw);
}

/** Any request body as JSON text, each `"@name"` string replaced by `raw[name]` (see {@link rawBody}). */
export function rawText(body: unknown, raw: Record<string, string>): string {
  let text = JSON.stringify(body);
  for (const [name, fragment] of Object.entries(raw)) text = text.split(JSON.stringify(`@${name}`)).join(fragment);
  return text;
}
