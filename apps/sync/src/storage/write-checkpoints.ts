import type pg from 'pg';
import { parseLsn } from '../pg/lsn.ts';
import type { StorageTables } from './storage-schema.ts';

const MAX_PENDING = 20;

interface Entry {
  id: bigint;
  lsn: bigint;
}

/** The message that makes the WAL stream deliver something even when nothing else is written. */
export const KEEPALIVE_SQL = "SELECT pg_logical_emit_message(false, 'powersync', 'ping')";

/**
 * Write checkpoints (docs/powersync-protocol.md §5). A client that uploaded writes asks for one;
 * it is a per-(user, client) counter stored with the source's current WAL position. A checkpoint
 * carries the counter once replication has passed that position, which is when the uploaded
 * writes are in the buckets; only then does the client apply downloaded data again.
 */
export class WriteCheckpoints {
  private readonly entries = new Map<string, Entry[]>();
  private queue: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;

  constructor(
    private readonly db: pg.Pool,
    private readonly t: StorageTables,
  ) {}

  /** `sub/client_id`, as the official service keys them. */
  static key(userId: string, clientId: string | null): string {
    return clientId ? `${userId}/${clientId}` : userId;
  }

  /** Legacy mode: the next counter value, tied to the current WAL position. */
  async create(key: string): Promise<bigint> {
    return this.store(
      key,
      `INSERT INTO ${this.t.writeCheckpoints} AS w (user_key, write_checkpoint, lsn)
       VALUES ($1, 1, pg_current_wal_lsn())
       ON CONFLICT (user_key) DO UPDATE SET write_checkpoint = w.write_checkpoint + 1, lsn = excluded.lsn
       RETURNING write_checkpoint, lsn::text`,
      [key],
    );
  }

  /** `checkpointMode: 'requests'`: the client supplies the id; the stored one never goes down. */
  async request(key: string, requested: bigint): Promise<bigint> {
    return this.store(
      key,
      `INSERT INTO ${this.t.writeCheckpoints} AS w (user_key, write_checkpoint, lsn)
       VALUES ($1, $2, pg_current_wal_lsn())
       ON CONFLICT (user_key) DO UPDATE
         SET write_checkpoint = greatest(w.write_checkpoint, excluded.write_checkpoint), lsn = excluded.lsn
       RETURNING write_checkpoint, lsn::text`,
      [key, requested.toString()],
    );
  }

  /** Loads a key's stored write checkpoint once (for a stream that starts after a restart). */
  async load(key: string): Promise<void> {
    if (this.entries.has(key)) return;
    const { rows } = await this.db.query<{ write_checkpoint: string; lsn: string }>(
      `SELECT write_checkpoint, lsn::text FROM ${this.t.writeCheckpoints} WHERE user_key = $1`,
      [key],
    );
    const row = rows[0];
    if (!this.entries.has(key)) {
      this.entries.set(key, row ? [{ id: BigInt(row.write_checkpoint), lsn: parseLsn(row.lsn) }] : []);
    }
  }

  /** The newest write checkpoint created for `key` (visible or not yet), or null. */
  newest(key: string): bigint | null {
    const list = this.entries.get(key);
    return list?.[list.length - 1]?.id ?? null;
  }

  /** The newest write checkpoint of `key` that a checkpoint at `lsn` covers, or null. */
  visibleAt(key: string, lsn: bigint): bigint | null {
    const list = this.entries.get(key);
    if (!list) return null;
    let visible = -1;
    for (let i = 0; i < list.length; i++) if ((list[i] as Entry).lsn <= lsn) visible = i;
    if (visible < 0) return null;
    if (visible > 0) list.splice(0, visible); // older entries can never be chosen again
    return (list[0] as Entry).id;
  }

  private async store(key: string, sql: string, params: unknown[]): Promise<bigint> {
    const { rows } = await this.db.query<{ write_checkpoint: string; lsn: string }>(sql, params);
    const row = rows[0];
    if (!row) throw new Error('write checkpoint was not stored');
    const entry = { id: BigInt(row.write_checkpoint), lsn: parseLsn(row.lsn) };
    const list = this.entries.get(key) ?? [];
    list.push(entry);
    // A client that never streams must not grow this forever; dropping the oldest pending
    // entries only makes it wait for a newer one.
    if (list.length > MAX_PENDING) list.splice(0, list.length - MAX_PENDING);
    this.entries.set(key, list);
    await this.ping();
    return entry.id;
  }

  /**
   * Emits a WAL message after the write checkpoint's position. Concurrent requests share one
   * message as long as it has not started yet (a started one may predate their position).
   */
  private ping(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.queue
      .catch(() => {})
      .then(async () => {
        this.queued = null;
        await this.db.query(KEEPALIVE_SQL);
      });
    this.queued = next;
    this.queue = next;
    return next;
  }
}
