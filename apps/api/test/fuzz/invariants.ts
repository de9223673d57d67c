import { storableText } from '@cr/schema';
import type { RawCrudEntry } from '@cr/strategies';
import { claimOf } from '@cr/upload-engine';
import { expect } from 'vitest';
import type { TestApp } from '../helpers.ts';

/**
 * The fuzz suite's checks, shared by both forms of the upload request: what a request may have
 * changed in Postgres, and whether each outcome is about its own operation.
 */

const TABLES = [
  'tasks',
  'documents',
  'patients',
  'inventory',
  'orders',
  'write_conflicts',
  'field_changes',
  'rejections',
];

/**
 * A mark to compare against: the transaction id before an upload and the keys of every row of
 * every client-visible table. Rows written since carry a later xmin; deleted ones are missing
 * keys. (Cheaper than comparing every row, so long runs stay linear.)
 */
export interface Mark {
  xid: number;
  keys: Set<string>;
  /** `write_conflicts` id → the `table:id` it is about (resolving a conflict may write that row). */
  conflicts: Map<string, string>;
}

export async function mark(t: TestApp): Promise<Mark> {
  const [{ xid } = { xid: '0' }] = await t.sql<{ xid: string }>(
    `SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text AS xid`,
  );
  const rows = await t.sql<{ k: string }>(
    TABLES.map((table) => `SELECT '${table}:' || id::text AS k FROM ${table}`).join(' UNION ALL '),
  );
  const conflicts = await t.sql<{ id: string; table_name: string; row_id: string }>(
    `SELECT id, table_name, row_id FROM write_conflicts`,
  );
  return {
    xid: Number(xid),
    keys: new Set(rows.map((r) => r.k)),
    conflicts: new Map(conflicts.map((c) => [c.id, `${c.table_name}:${c.row_id}`])),
  };
}

/** `table:id` of every row written or deleted since `since`, with the new content of written ones. */
export async function changedSince(t: TestApp, since: Mark): Promise<Map<string, Record<string, unknown> | null>> {
  const now = await mark(t);
  const written = await t.sql<{ k: string; r: Record<string, unknown> }>(
    TABLES.map(
      (table) =>
        `SELECT '${table}:' || id::text AS k, row_to_json(x) AS r FROM ${table} x WHERE xmin::text::bigint > $1`,
    ).join(' UNION ALL '),
    [since.xid],
  );
  const changed = new Map<string, Record<string, unknown> | null>(written.map((w) => [w.k, w.r]));
  for (const key of since.keys) if (!now.keys.has(key)) changed.set(key, null);
  return changed;
}

export interface Outcome {
  op_id: number;
  table: string;
  id: string;
  status: string;
  code?: string;
  conflict_id?: string;
}

/** One outcome per operation, in order, each about that operation (never someone else's). */
export function expectOwnOutcomes(t: TestApp, sent: readonly RawCrudEntry[], outcomes: readonly Outcome[]): void {
  expect(outcomes).toHaveLength(sent.length);
  outcomes.forEach((outcome, i) => {
    const claim = claimOf(t.app.uploads.engine, sent[i] as RawCrudEntry);
    expect({ op_id: outcome.op_id, table: outcome.table, id: outcome.id }).toEqual({
      op_id: (sent[i] as RawCrudEntry).op_id,
      table: storableText(claim.table, 200),
      id: storableText(claim.id, 200),
    });
  });
}

/**
 * Only what accepted operations target changed; rejections are new records of this user and
 * client; conflicts are new records named by an outcome. Every rejected operation is recorded
 * (nothing is lost silently): a `rejections` row of this user and client has its operation id.
 */
export async function expectOnlyAcceptedChanged(
  t: TestApp,
  who: { user: string; client: string },
  before: Mark,
  outcomes: readonly Outcome[],
): Promise<void> {
  const changed = await changedSince(t, before);
  const allowed = new Set<string>();
  for (const o of outcomes) {
    if (o.status === 'applied' || o.status === 'merged') {
      allowed.add(`${o.table}:${o.id}`);
      const target = o.table === 'write_conflicts' ? before.conflicts.get(o.id) : undefined;
      if (target) allowed.add(target);
    }
    if (o.conflict_id) allowed.add(`write_conflicts:${o.conflict_id}`);
    if (o.code === 'STALE_RESOLUTION') allowed.add(`write_conflicts:${o.id}`); // refreshed server values
  }
  const recorded = new Set<number>();
  for (const [key, row] of changed) {
    if (allowed.has(key)) continue;
    if (key.startsWith('rejections:') && row !== null && !before.keys.has(key)) {
      expect(row).toMatchObject({ user_id: who.user, client_id: who.client });
      recorded.add(Number(row.op_id));
      continue;
    }
    throw new Error(`${key} changed, but no accepted operation of this upload targets it: ${JSON.stringify(outcomes)}`);
  }
  const rejected = outcomes.filter((o) => o.status === 'rejected').map((o) => o.op_id);
  if (rejected.length === 0) return;
  // Recorded by this request, or by an earlier delivery of the same operation.
  const earlier = await t.sql<{ op_id: number }>(
    `SELECT DISTINCT op_id::int AS op_id FROM rejections WHERE user_id = $1 AND client_id = $2 AND op_id = ANY($3)`,
    [who.user, storableText(who.client, 200), rejected],
  );
  for (const r of earlier) recorded.add(r.op_id);
  expect(rejected.filter((opId) => !recorded.has(opId))).toEqual([]);
}

/** Rules every state must keep, whatever was uploaded: stock is never negative. */
export async function expectRulesKept(t: TestApp): Promise<void> {
  expect(await t.sql(`SELECT id, quantity FROM inventory WHERE quantity < 0`)).toEqual([]);
}
