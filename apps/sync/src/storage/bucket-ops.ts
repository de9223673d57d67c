import { createHash } from 'node:crypto';
import { putChecksum, removeChecksum } from '../protocol/checksum.ts';
import type { StoredOp } from '../protocol/lines.ts';
import type { BucketRow } from './row-evaluator.ts';
import type { Membership } from './storage-writes.ts';

export type NewOp = Omit<StoredOp, 'opId'>;

/**
 * The client keys a row by (type, id, subkey); the subkey names the source row, so two source
 * rows that produce the same output row never overwrite each other's ops.
 */
export function subkeyOf(sourceTable: string, sourceKey: string): string {
  return createHash('sha256').update(`${sourceTable}\u0000${sourceKey}`).digest('base64url').slice(0, 22);
}

export function membershipKey([bucket, table, id]: Membership): string {
  return `${bucket}\u0000${table}\u0000${id}`;
}

export function putOp(row: BucketRow, subkey: string): NewOp {
  return {
    op: 'PUT',
    objectType: row.table,
    objectId: row.id,
    subkey,
    data: row.data,
    checksum: putChecksum(row.table, row.id, row.data),
  };
}

export function removeOp([, table, id]: Membership, subkey: string): NewOp {
  return {
    op: 'REMOVE',
    objectType: table,
    objectId: id,
    subkey,
    data: null,
    checksum: removeChecksum(table, id, subkey),
  };
}
