import { validateRowId } from '@cr/schema';
import { OUTCOME_TABLES, type Row, WorkingSet } from '@cr/strategies';
import type pg from 'pg';
import type { Engine } from '../apply/engine.ts';

/** How much one batch takes on. */
export interface ClaimLimits {
  /** Target rows (the rows changes are about) claimed per batch. */
  targets: number;
  /** Changes applied per batch, oldest first. */
  changes: number;
}

export interface Claim {
  /** Pending changes this transaction holds, oldest first. */
  changes: Row[];
  /** The changes and their target rows, loaded and locked. */
  set: WorkingSet;
  /** Targets with pending changes that another worker (or an upload) holds: left for later. */
  busy: number;
}

/** Pending changes read per page while looking for targets nobody else holds. */
const PAGE = 500;

interface PendingRow {
  id: string;
  table_name: string;
  row_id: string;
  created_at: unknown;
}

interface Target {
  table: string;
  rowId: string;
}

/**
 * Claims a batch of field changes inside the caller's transaction, for any number of API
 * instances sharing the database.
 *
 * The unit of work is the target row: a worker locks the rows the oldest pending changes target
 * with `FOR UPDATE SKIP LOCKED`, so it never waits for another worker and never takes a row one
 * is working on; then it takes every pending change of the rows it holds, oldest first, so the
 * changes to one row are applied in order whichever instance applies them. Changes whose target
 * does not exist (or cannot: an untracked table, a malformed id) are claimed one by one with
 * `SKIP LOCKED` and will fail. The synced `field_changes.status` stays the only queue state.
 */
export async function claimBatch(client: pg.ClientBase, engine: Engine, limits: ClaimLimits): Promise<Claim> {
  const trackable = (target: Target) => isTrackable(engine, target);
  let after: { createdAt: unknown; id: string } | null = null;
  let busy = 0;
  for (;;) {
    const { rows: page }: { rows: PendingRow[] } = await client.query<PendingRow>(
      `SELECT id, table_name, row_id, created_at FROM field_changes
        WHERE status = 'pending' AND ($1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid))
        ORDER BY created_at, id LIMIT ${PAGE}`,
      [after?.createdAt ?? null, after?.id ?? null],
    );
    if (page.length === 0) return { changes: [], set: new WorkingSet(), busy };
    const last = page[page.length - 1] as PendingRow;
    after = { createdAt: last.created_at, id: last.id };

    const targets = new Map<string, Target>();
    for (const row of page)
      targets.set(`${row.table_name}\u0000${row.row_id}`, { table: row.table_name, rowId: row.row_id });
    const valid: Target[] = [];
    const orphans: Target[] = [];
    for (const target of targets.values()) (trackable(target) ? valid : orphans).push(target);

    // Lock a slice of targets at a time, until one is ours (or the page has none free).
    let claimed: Target[] = [];
    let failing: Target[] = orphans;
    for (let start = 0; start < valid.length && claimed.length === 0; start += limits.targets) {
      const { held, missing, skipped } = await lockTargets(client, engine, valid.slice(start, start + limits.targets));
      busy += skipped;
      claimed = held;
      failing = [...failing, ...missing];
    }
    if (claimed.length === 0 && failing.length === 0) {
      if (page.length < PAGE) return { changes: [], set: new WorkingSet(), busy };
      continue; // every target on this page is held by someone else: look further
    }
    const ids = await changeIds(client, claimed, failing, limits.changes);
    const set = new WorkingSet();
    await engine.store.load(client, set, [
      ...claimed.map((t) => ({ table: t.table, id: t.rowId })),
      ...ids.map((id) => ({ table: OUTCOME_TABLES.fieldChanges, id })),
    ]);
    for (const t of failing) if (trackable(t)) set.load(t.table, t.rowId, null);
    const changes = ids
      .map((id) => set.get(OUTCOME_TABLES.fieldChanges, id))
      .filter((row): row is Row => row !== null && row.status === 'pending')
      .sort(byCreation);
    return { changes, set, busy };
  }
}

function isTrackable({ policy }: Engine, target: Target): boolean {
  return (
    policy.schema.has(target.table) &&
    policy.table(target.table).tracked.length > 0 &&
    validateRowId(policy.table(target.table).definition, target.rowId).ok
  );
}

function byCreation(a: Row, b: Row): number {
  const at = String(a.created_at);
  const bt = String(b.created_at);
  return at < bt ? -1 : at > bt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Locks what it can of `targets` without waiting: held, missing (no such row), skipped (busy). */
async function lockTargets(
  client: pg.ClientBase,
  engine: Engine,
  targets: readonly Target[],
): Promise<{ held: Target[]; missing: Target[]; skipped: number }> {
  const held: Target[] = [];
  const missing: Target[] = [];
  let skipped = 0;
  const byTable = new Map<string, string[]>();
  for (const t of targets) byTable.set(t.table, [...(byTable.get(t.table) ?? []), t.rowId]);
  for (const [table, ids] of byTable) {
    const definition = engine.policy.table(table).definition; // a schema table (checked by trackable)
    const name = `"${definition.name}"`;
    const idArray = definition.id === 'uuid' ? '$1::uuid[]' : '$1::text[]';
    const { rows } = await client.query<{ id: string; locked: boolean }>(
      `WITH locked AS (SELECT id FROM ${name} WHERE id = ANY(${idArray}) FOR UPDATE SKIP LOCKED)
       SELECT t.id::text AS id, (l.id IS NOT NULL) AS locked FROM ${name} t LEFT JOIN locked l ON l.id = t.id
        WHERE t.id = ANY(${idArray})`,
      [ids],
    );
    const found = new Map(rows.map((r) => [r.id, r.locked]));
    for (const rowId of ids) {
      const locked = found.get(rowId);
      if (locked === undefined) missing.push({ table, rowId });
      else if (locked) held.push({ table, rowId });
      else skipped += 1;
    }
  }
  return { held, missing, skipped };
}

/**
 * The pending changes of the held targets (waiting, if need be, for an upload that is editing
 * one), and of the targets that do not exist (skipping those another worker took).
 */
async function changeIds(
  client: pg.ClientBase,
  held: readonly Target[],
  failing: readonly Target[],
  limit: number,
): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `WITH h AS (SELECT id, created_at FROM field_changes
                 WHERE status = 'pending' AND (table_name, row_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
                 ORDER BY created_at, id LIMIT $5),
          f AS (SELECT id, created_at FROM field_changes
                 WHERE status = 'pending' AND (table_name, row_id) IN (SELECT * FROM unnest($3::text[], $4::text[]))
                 ORDER BY created_at, id LIMIT $5 FOR UPDATE SKIP LOCKED)
     SELECT id FROM h UNION ALL SELECT id FROM f`,
    [
      held.map((t) => t.table),
      held.map((t) => t.rowId),
      failing.map((t) => t.table),
      failing.map((t) => t.rowId),
      limit,
    ],
  );
  return rows.map((r) => r.id);
}
