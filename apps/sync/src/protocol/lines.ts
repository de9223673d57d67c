/**
 * Sync lines, serialized as newline-delimited JSON. Rules the client's Rust deserializers impose
 * (docs/powersync-protocol.md §2): op ids are base-10 strings, checksums / counts / priorities
 * are JSON integers (never `1.0`, so nothing here goes through JSONBig), and an op's `data` is
 * a JSON *string* because clients send `raw_data: true`.
 */

export type OpType = 'PUT' | 'REMOVE' | 'MOVE' | 'CLEAR';

/** One entry of a bucket's oplog as storage holds it. */
export interface StoredOp {
  opId: number;
  op: OpType;
  objectType: string | null;
  objectId: string | null;
  subkey: string | null;
  /** The row as a JSON string (PUT only). */
  data: string | null;
  /** Unsigned 32-bit. */
  checksum: number;
}

export interface BucketChecksum {
  bucket: string;
  checksum: number;
  count: number;
  priority: number;
  /** Why the connection has the bucket: `{default: i}` (i into `checkpoint.streams`) or `{sub: i}`. */
  subscriptions?: ({ default: number } | { sub: number })[];
}

/** An entry of `checkpoint.streams` (rules/bucket-resolver.ts). */
export interface StreamLine {
  name: string;
  is_default: boolean;
  errors: { subscription: 'default' | number; message: string }[];
}

/**
 * An op as JSON, built by hand: this runs for every op sent to every client. With `rawData`
 * (every current client) the row stays a JSON string; legacy clients get it as an object, which
 * is the same text unquoted since storage holds valid JSON.
 */
export function encodeOp(op: StoredOp, rawData = true): string {
  let json = `{"op_id":"${op.opId}","op":"${op.op}"`;
  if (op.objectType !== null) json += `,"object_type":${JSON.stringify(op.objectType)}`;
  if (op.objectId !== null) json += `,"object_id":${JSON.stringify(op.objectId)}`;
  if (op.subkey !== null) json += `,"subkey":${JSON.stringify(op.subkey)}`;
  if (op.data !== null) json += `,"data":${rawData ? JSON.stringify(op.data) : op.data}`;
  return `${json},"checksum":${op.checksum >>> 0}}`;
}

function bucketChecksumJson(b: BucketChecksum) {
  return {
    bucket: b.bucket,
    checksum: b.checksum >>> 0,
    count: Math.trunc(b.count),
    priority: b.priority,
    subscriptions: b.subscriptions ?? [],
  };
}

function line(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** `streams` only here, never in diffs: the client keeps the list of the connection's first checkpoint. */
export function checkpointLine(
  lastOpId: number,
  writeCheckpoint: bigint | null,
  buckets: BucketChecksum[],
  streams: StreamLine[] = [],
): string {
  return line({
    checkpoint: {
      last_op_id: String(lastOpId),
      ...(writeCheckpoint === null ? {} : { write_checkpoint: String(writeCheckpoint) }),
      buckets: buckets.map(bucketChecksumJson),
      streams,
    },
  });
}

/** The write checkpoint is repeated in every diff: the client replaces it rather than merging. */
export function checkpointDiffLine(
  lastOpId: number,
  writeCheckpoint: bigint | null,
  updated: BucketChecksum[],
  removed: string[],
): string {
  return line({
    checkpoint_diff: {
      last_op_id: String(lastOpId),
      ...(writeCheckpoint === null ? {} : { write_checkpoint: String(writeCheckpoint) }),
      updated_buckets: updated.map(bucketChecksumJson),
      removed_buckets: removed,
    },
  });
}

/** `ops` are already encoded with {@link encodeOp}. */
export function dataLine(bucket: string, ops: string[], after: number, nextAfter: number, hasMore: boolean): string {
  return (
    `{"data":{"bucket":${JSON.stringify(bucket)},"data":[${ops.join(',')}],` +
    `"has_more":${hasMore},"after":"${after}","next_after":"${nextAfter}"}}\n`
  );
}

export function checkpointCompleteLine(lastOpId: number): string {
  return line({ checkpoint_complete: { last_op_id: String(lastOpId) } });
}

export function partialCheckpointCompleteLine(lastOpId: number, priority: number): string {
  return line({ partial_checkpoint_complete: { last_op_id: String(lastOpId), priority } });
}

export function tokenExpiresInLine(seconds: number): string {
  return line({ token_expires_in: Math.max(0, Math.floor(seconds)) });
}
