import { createHash } from 'node:crypto';
import type pg from 'pg';
import { parseLsn } from '../pg/lsn.ts';

/**
 * The logical replication slot. Slots belong to the whole Postgres cluster, so the name is
 * derived from the database and storage schema (several databases on one server each get their
 * own) plus the sync rules version (a new deploy gets a new slot).
 */
export function slotNameFor(database: string, storageSchema: string, rulesVersion: number): string {
  const id = createHash('sha256').update(`${database}\u0000${storageSchema}`).digest('hex').slice(0, 12);
  return `powersync_${id}_${rulesVersion}`;
}

export interface SlotInfo {
  active: boolean;
  confirmedFlushLsn: bigint | null;
  /** `reserved`, `extended`, `unreserved` or `lost` (the slot no longer has the WAL it needs). */
  walStatus: string | null;
}

export async function readSlot(db: pg.Pool, name: string): Promise<SlotInfo | null> {
  const { rows } = await db.query<{ active: boolean; confirmed_flush_lsn: string | null; wal_status: string | null }>(
    `SELECT active, confirmed_flush_lsn::text, wal_status FROM pg_replication_slots WHERE slot_name = $1`,
    [name],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    active: row.active,
    confirmedFlushLsn: row.confirmed_flush_lsn === null ? null : parseLsn(row.confirmed_flush_lsn),
    walStatus: row.wal_status,
  };
}

/** Creates the slot (dropping a leftover one of the same name) and returns its consistent point. */
export async function createSlot(db: pg.Pool, name: string): Promise<bigint> {
  await dropSlot(db, name);
  const { rows } = await db.query<{ lsn: string }>(
    `SELECT lsn::text FROM pg_create_logical_replication_slot($1, 'pgoutput')`,
    [name],
  );
  const lsn = rows[0]?.lsn;
  if (!lsn) throw new Error(`Replication slot ${name} was not created`);
  return parseLsn(lsn);
}

/**
 * Drops a slot of ours. A slot stays active for a moment after its connection closed (a previous
 * run of the service), so an active one is waited for; still active after that, it is in use.
 */
export async function dropSlot(db: pg.Pool, name: string, waitMs = 5000): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const slot = await readSlot(db, name);
    if (!slot) return false;
    if (!slot.active) {
      await db.query('SELECT pg_drop_replication_slot($1)', [name]);
      return true;
    }
    if (Date.now() > deadline) throw new Error(`Replication slot ${name} is in use by another connection`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
