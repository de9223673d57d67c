import type pg from 'pg';
import type { Queryable } from './storage-transaction.ts';

/**
 * Bucket storage lives in its own schema of the source database. The publication lists tables
 * explicitly, so nothing here is replicated; {@link assertStorageNotPublished} refuses to start
 * if someone made the publication cover these tables (that would replicate storage into itself).
 */

/**
 * Bumped when the layout or the meaning of stored data changes; storage of another version is
 * rebuilt (new deploy, new snapshot). 3: versions before could leave writes outside their
 * transaction when stopped mid-write (ops beyond the state row, rows' bucket memberships ahead of
 * their ops), which no check can fully find afterwards; rebuilding removes them. 4: bucket_state
 * records each bucket's latest REMOVE. 5: subkeys and REMOVE checksums as the official service
 * computes them (storage/replica-id.ts); a client holding ops with the old subkeys would never see
 * a later REMOVE supersede them, so the old oplog must not be continued: the new deploy's
 * re-snapshot gives every bucket a checksum the client's old ops cannot match, and the client
 * downloads it anew.
 */
export const STORAGE_VERSION = 5;

export interface StorageTables {
  schema: string;
  state: string;
  ops: string;
  bucketState: string;
  currentData: string;
  parameterIndex: string;
  writeCheckpoints: string;
}

export function storageTables(schema: string): StorageTables {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid storage schema name "${schema}"`);
  const q = (name: string) => `"${schema}"."${name}"`;
  return {
    schema,
    state: q('state'),
    ops: q('ops'),
    bucketState: q('bucket_state'),
    currentData: q('current_data'),
    parameterIndex: q('parameter_index'),
    writeCheckpoints: q('write_checkpoints'),
  };
}

export async function createStorageSchema(db: pg.Pool | pg.PoolClient, t: StorageTables): Promise<void> {
  await dropOutdatedTables(db, t);
  await db.query(`
    CREATE SCHEMA IF NOT EXISTS "${t.schema}";
    -- One row: where replication stands. last_op_id only grows, also across re-snapshots.
    CREATE TABLE IF NOT EXISTS ${t.state} (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      storage_version integer NOT NULL,
      rules_hash text NOT NULL,
      rules_version integer NOT NULL,
      slot_name text NOT NULL,
      snapshot_done boolean NOT NULL DEFAULT false,
      snapshot_lsn pg_lsn,
      consistent boolean NOT NULL DEFAULT false,
      last_op_id bigint NOT NULL DEFAULT 0,
      last_lsn pg_lsn
    );
    -- Each bucket's oplog. op: 1 PUT, 2 REMOVE, 3 MOVE, 4 CLEAR.
    CREATE TABLE IF NOT EXISTS ${t.ops} (
      bucket text NOT NULL,
      op_id bigint NOT NULL,
      op smallint NOT NULL,
      object_type text,
      object_id text,
      subkey text,
      data text,
      checksum bigint NOT NULL,
      PRIMARY KEY (bucket, op_id)
    );
    -- Precomputed per-bucket totals, so a checkpoint never sums an oplog; and the latest REMOVE
    -- (whether a client holding the bucket may have a deletion it has not applied yet).
    CREATE TABLE IF NOT EXISTS ${t.bucketState} (
      bucket text PRIMARY KEY,
      checksum bigint NOT NULL,
      op_count bigint NOT NULL,
      last_op_id bigint NOT NULL,
      last_removal_op_id bigint NOT NULL DEFAULT 0
    );
    -- Each replicated source row: its last values if it is large enough to have TOASTed values
    -- (to fill unchanged ones), the buckets it is in (to emit REMOVE when it leaves one) and the
    -- parameter lookups it contributes.
    CREATE TABLE IF NOT EXISTS ${t.currentData} (
      source_table text NOT NULL,
      source_key text NOT NULL,
      row_data text,
      buckets text NOT NULL,
      lookups text NOT NULL,
      PRIMARY KEY (source_table, source_key)
    );
    -- Results of parameter queries over table rows, versioned by op id; '[]' marks removal.
    CREATE TABLE IF NOT EXISTS ${t.parameterIndex} (
      lookup text NOT NULL,
      source_table text NOT NULL,
      source_key text NOT NULL,
      op_id bigint NOT NULL,
      bucket_parameters text NOT NULL,
      PRIMARY KEY (lookup, source_table, source_key, op_id)
    );
    CREATE INDEX IF NOT EXISTS parameter_index_op_id ON ${t.parameterIndex} (op_id);
    -- Per user and client: the last write checkpoint and the source LSN it waits for.
    CREATE TABLE IF NOT EXISTS ${t.writeCheckpoints} (
      user_key text PRIMARY KEY,
      write_checkpoint bigint NOT NULL,
      lsn pg_lsn NOT NULL
    );
  `);
}

/**
 * Storage from another version of this service: the derived tables are dropped and created anew
 * (the state row's version then differs, so replication starts a new deploy with a new snapshot).
 */
async function dropOutdatedTables(db: pg.Pool | pg.PoolClient, t: StorageTables): Promise<void> {
  const { rows: found } = await db.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    t.state,
  ]);
  if (!found[0]?.exists) return;
  const { rows } = await db.query<{ storage_version: number }>(`SELECT storage_version FROM ${t.state}`);
  const version = rows[0]?.storage_version;
  if (version === undefined || version === STORAGE_VERSION) return;
  await db.query(`DROP TABLE IF EXISTS ${t.ops}, ${t.bucketState}, ${t.currentData}, ${t.parameterIndex}`);
}

/** Empties everything derived from the source (before a new snapshot); keeps write checkpoints. */
export async function clearBucketData(db: Queryable, t: StorageTables): Promise<void> {
  await db.query(`TRUNCATE ${t.ops}, ${t.bucketState}, ${t.currentData}, ${t.parameterIndex}`);
}

export async function assertStorageNotPublished(db: pg.Pool, schema: string, publication: string): Promise<void> {
  const { rows } = await db.query<{ puballtables: boolean; published: number }>(
    `SELECT p.puballtables,
            (SELECT count(*)::int FROM pg_publication_tables pt
              WHERE pt.pubname = p.pubname AND pt.schemaname = $2) AS published
       FROM pg_publication p WHERE p.pubname = $1`,
    [publication, schema],
  );
  const row = rows[0];
  // A missing publication is for replication to report (readiness says how to create it).
  if (!row) return;
  if (row.puballtables || row.published > 0) {
    throw new Error(
      `Publication "${publication}" includes the sync service's storage schema "${schema}" ` +
        `(FOR ALL TABLES or FOR TABLES IN SCHEMA): storage writes would replicate into themselves. ` +
        'List the synced tables explicitly instead.',
    );
  }
}
