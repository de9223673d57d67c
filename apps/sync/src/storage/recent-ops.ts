import { encodeOpBson } from '../protocol/bson-lines.ts';
import { encodeOp, type OpType, type StoredOp } from '../protocol/lines.ts';

/** An op ready to send: its id, type, JSON and BSON, each encoded once for every client that receives it. */
export interface EncodedOp {
  readonly opId: number;
  readonly op: OpType;
  readonly json: string;
  readonly bson: Buffer;
}

/** Encodes on first use: most ops of a big transaction are never read from memory. */
export class CachedOp implements EncodedOp {
  private encoded: string | null = null;
  private binary: Buffer | null = null;
  constructor(
    private readonly stored: StoredOp,
    /** JSON for legacy clients (`raw_data: false`) nests the row; BSON never does. */
    private readonly rawData = true,
  ) {}
  get opId(): number {
    return this.stored.opId;
  }
  get op(): OpType {
    return this.stored.op;
  }
  /** The same op with `term` added to its checksum (sync/deploy-clear.ts), encoded anew. */
  withChecksumAdded(term: number): CachedOp {
    return new CachedOp({ ...this.stored, checksum: (this.stored.checksum + term) >>> 0 }, this.rawData);
  }
  get json(): string {
    this.encoded ??= encodeOp(this.stored, this.rawData);
    return this.encoded;
  }
  get bson(): Buffer {
    this.binary ??= encodeOpBson(this.stored);
    return this.binary;
  }
}

/**
 * The ops of recent transactions, encoded, per bucket. It holds *every* op with an id above
 * `floor`, so a stream whose client is at or above the floor reads new data from memory: a
 * commit reaches N connected clients with one storage write and no storage reads.
 *
 * Compaction does not invalidate it: an op replaced by MOVE or CLEAR carries the same checksum,
 * so sending the original op yields the same bucket checksum on the client.
 */
export class RecentOps {
  private readonly buckets = new Map<string, CachedOp[]>();
  /** Insertion order, for eviction. */
  private readonly order: { bucket: string; opId: number }[] = [];
  private head = 0;
  private floor: number;
  /** Buckets whose older ops were compacted: memory serves them only above this. */
  private readonly bucketFloors = new Map<string, number>();

  constructor(
    floor: number,
    private readonly capacity = 50_000,
  ) {
    this.floor = floor;
  }

  /** Adds a committed transaction's ops (ascending op ids, all above every op added before). */
  add(ops: readonly { bucket: string; op: StoredOp }[]): void {
    if (ops.length > this.capacity / 2) {
      // Too big to be worth keeping: the cache restarts above it and readers go to storage.
      const last = ops[ops.length - 1];
      if (last) this.reset(last.op.opId);
      return;
    }
    for (const { bucket, op } of ops) {
      let list = this.buckets.get(bucket);
      if (!list) {
        list = [];
        this.buckets.set(bucket, list);
      }
      list.push(new CachedOp(op));
      this.order.push({ bucket, opId: op.opId });
    }
    if (this.order.length - this.head > this.capacity) this.evict(Math.floor(this.capacity * 0.8));
  }

  /** The ops of `bucket` in (after, upTo], or null when memory does not reach back to `after`. */
  read(bucket: string, after: number, upTo: number): EncodedOp[] | null {
    if (after < this.floor || after < (this.bucketFloors.get(bucket) ?? 0)) return null;
    const list = this.buckets.get(bucket);
    if (!list) return [];
    // Binary search for the first op above `after`: a connected client usually needs only the
    // newest few of a list that can hold tens of thousands (a scan from the start, per stream and
    // per checkpoint, made a backlog with many streams connected crawl).
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((list[middle] as CachedOp).opId > after) high = middle;
      else low = middle + 1;
    }
    const result: EncodedOp[] = [];
    for (let i = low; i < list.length; i++) {
      const op = list[i] as CachedOp;
      if (op.opId > upTo) break;
      result.push(op);
    }
    return result;
  }

  /**
   * After compaction of `bucket` up to `upTo`: clients further behind read the compacted oplog
   * from storage (fewer ops) instead of the originals from memory.
   */
  compacted(bucket: string, upTo: number): void {
    if (upTo <= this.floor) return;
    this.bucketFloors.set(bucket, Math.max(upTo, this.bucketFloors.get(bucket) ?? 0));
    const list = this.buckets.get(bucket);
    if (!list) return;
    const keep = list.filter((op) => op.opId > upTo);
    if (keep.length === 0) this.buckets.delete(bucket);
    else this.buckets.set(bucket, keep);
  }

  /** Forgets everything; the cache is complete again above `floor`. */
  reset(floor: number): void {
    this.bucketFloors.clear();
    this.buckets.clear();
    this.order.length = 0;
    this.head = 0;
    this.floor = floor;
  }

  private evict(keep: number): void {
    const affected = new Set<string>();
    while (this.order.length - this.head > keep) {
      const entry = this.order[this.head];
      this.head += 1;
      if (!entry) break;
      this.floor = Math.max(this.floor, entry.opId);
      affected.add(entry.bucket);
    }
    for (const [bucket, floor] of this.bucketFloors) if (floor <= this.floor) this.bucketFloors.delete(bucket);
    for (const bucket of affected) {
      const list = this.buckets.get(bucket);
      if (!list) continue;
      let drop = 0;
      while (drop < list.length && (list[drop]?.opId ?? 0) <= this.floor) drop += 1;
      if (drop === list.length) this.buckets.delete(bucket);
      else list.splice(0, drop);
    }
    if (this.head > 100_000 || this.head > this.order.length / 2) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }
}
