import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addChecksums, putChecksum, removeChecksum, subtractChecksums } from './checksum.ts';

describe('checksums', () => {
  it('add as wrapping unsigned 32-bit integers', () => {
    expect(addChecksums(0xffff_ffff, 1)).toBe(0);
    expect(addChecksums(0xffff_fff0, 0x20)).toBe(0x10);
    expect(subtractChecksums(addChecksums(123, 0xffff_ff00), 0xffff_ff00)).toBe(123);
  });

  it('hash a PUT as the first four bytes (little-endian) of sha256("put.type.id.data")', () => {
    const data = '{"id":"t1","title":"x"}';
    const expected = createHash('sha256').update(`put.tasks.t1.${data}`).digest().readUInt32LE(0);
    expect(putChecksum('tasks', 't1', data)).toBe(expected);
    expect(putChecksum('tasks', 't1', data)).not.toBe(putChecksum('tasks', 't1', `${data} `));
  });

  it('hash a REMOVE from its subkey alone, as sha256("delete.<subkey>") (vectors: storage/replica-id.test.ts)', () => {
    const value = removeChecksum('table/row');
    expect(value).toBe(createHash('sha256').update('delete.table/row').digest().readUInt32LE(0));
    expect(value).not.toBe(removeChecksum('table/other'));
  });
});
