import { createHash } from 'node:crypto';

/**
 * Checksums as the PowerSync client validates them: a bucket's checksum is the wrapping 32-bit
 * sum of the checksums of every op in the bucket up to the checkpoint (superseded ones included).
 * The client never recomputes an op's checksum; the per-op values below follow the official
 * service's formulas so that the numbers are comparable.
 */

/** Wrapping unsigned 32-bit addition. */
export function addChecksums(a: number, b: number): number {
  return (a + b) >>> 0;
}

/** The inverse of {@link addChecksums}: `subtractChecksums(addChecksums(a, b), b) === a`. */
export function subtractChecksums(a: number, b: number): number {
  return (a - b) >>> 0;
}

function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** Checksum of a PUT: the first 4 bytes (little-endian) of sha256("put.<type>.<id>.<data>"). */
export function putChecksum(objectType: string, objectId: string, data: string): number {
  return hash32(`put.${objectType}.${objectId}.${data}`);
}

/** Checksum of a REMOVE: sha256("delete.<subkey>"), the subkey naming the source row (storage/replica-id.ts). */
export function removeChecksum(subkey: string): number {
  return hash32(`delete.${subkey}`);
}

/**
 * Checksum of the CLEAR that every bucket served by this service starts with (sync/deploy-clear.ts):
 * sha256("deploy.<deploy>.<bucket>"), never 0, so that no two deploys (ours or the official
 * service's, whose buckets start with no such op) give the same bucket the same checksum.
 */
export function deployChecksum(deploy: string, bucket: string): number {
  return hash32(`deploy.${deploy}.${bucket}`) || 1;
}
