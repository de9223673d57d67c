import { putChecksum, removeChecksum } from '../protocol/checksum.ts';
import type { StoredOp } from '../protocol/lines.ts';
import type { BucketRow } from './row-evaluator.ts';
import type { Membership } from './storage-writes.ts';

export type NewOp = Omit<StoredOp, 'opId'>;

export function membershipKey([bucket, table, id]: Membership): string {
  return `${bucket}\u0000${table}\u0000${id}`;
}

/**
 * The client keys a row by (type, id, subkey); the subkey names the source row (see
 * replica-id.ts), so two source rows that produce the same output row never overwrite each
 * other's ops.
 */
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
    checksum: removeChecksum(subkey),
  };
}
