import { describe, expect, it } from 'vitest';
import { decodePgoutput, UNCHANGED_TOAST } from './pgoutput.ts';

/** Builds pgoutput messages byte by byte, as Postgres sends them. */
class Writer {
  private parts: Buffer[] = [];
  char(c: string) {
    this.parts.push(Buffer.from(c, 'latin1'));
    return this;
  }
  byte(n: number) {
    this.parts.push(Buffer.from([n]));
    return this;
  }
  int16(n: number) {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    this.parts.push(b);
    return this;
  }
  int32(n: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    this.parts.push(b);
    return this;
  }
  int64(n: bigint) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(n);
    this.parts.push(b);
    return this;
  }
  string(s: string) {
    this.parts.push(Buffer.from(`${s}\0`, 'utf8'));
    return this;
  }
  tuple(values: (string | null | 'TOAST')[]) {
    this.int16(values.length);
    for (const value of values) {
      if (value === null) this.char('n');
      else if (value === 'TOAST') this.char('u');
      else {
        const bytes = Buffer.from(value, 'utf8');
        this.char('t').int32(bytes.length);
        this.parts.push(bytes);
      }
    }
    return this;
  }
  build() {
    return Buffer.concat(this.parts);
  }
}

describe('decodePgoutput', () => {
  it('decodes begin and commit with their LSNs', () => {
    expect(decodePgoutput(new Writer().char('B').int64(0x1_0000_0010n).int64(0n).int32(77).build())).toEqual({
      tag: 'begin',
      finalLsn: 0x1_0000_0010n,
      xid: 77,
    });
    expect(decodePgoutput(new Writer().char('C').byte(0).int64(100n).int64(120n).int64(1_500_000n).build())).toEqual({
      tag: 'commit',
      commitLsn: 100n,
      endLsn: 120n,
      commitTime: Date.UTC(2000, 0, 1) + 1500,
    });
  });

  it('decodes a relation with its key columns and replica identity', () => {
    const message = new Writer()
      .char('R')
      .int32(16384)
      .string('public')
      .string('tasks')
      .char('d')
      .int16(2)
      .byte(1)
      .string('id')
      .int32(2950)
      .int32(-1 >>> 0)
      .byte(0)
      .string('title')
      .int32(25)
      .int32(-1 >>> 0)
      .build();
    expect(decodePgoutput(message)).toEqual({
      tag: 'relation',
      relation: {
        id: 16384,
        schema: 'public',
        name: 'tasks',
        replicaIdentity: 'default',
        columns: [
          { name: 'id', typeOid: 2950, isKey: true },
          { name: 'title', typeOid: 25, isKey: false },
        ],
      },
    });
  });

  it('keeps values as text, NULL as null, and marks unchanged TOAST values', () => {
    const insert = new Writer().char('I').int32(5).char('N').tuple(['a', null, 'héllo']).build();
    expect(decodePgoutput(insert)).toEqual({ tag: 'insert', relationId: 5, tuple: ['a', null, 'héllo'] });

    const update = new Writer().char('U').int32(5).char('N').tuple(['a', 'TOAST']).build();
    expect(decodePgoutput(update)).toEqual({ tag: 'update', relationId: 5, old: null, tuple: ['a', UNCHANGED_TOAST] });
  });

  it('returns the old key of an update that changed the key, and of a delete', () => {
    const update = new Writer().char('U').int32(5).char('K').tuple(['old', null]).char('N').tuple(['new', 'x']).build();
    expect(decodePgoutput(update)).toMatchObject({ old: ['old', null], tuple: ['new', 'x'] });
    const remove = new Writer().char('D').int32(5).char('K').tuple(['gone', null]).build();
    expect(decodePgoutput(remove)).toEqual({ tag: 'delete', relationId: 5, old: ['gone', null] });
  });

  it('decodes truncate and logical messages', () => {
    expect(decodePgoutput(new Writer().char('T').int32(2).byte(0).int32(5).int32(6).build())).toEqual({
      tag: 'truncate',
      relationIds: [5, 6],
    });
    const ping = new Writer().char('M').byte(0).int64(500n).string('powersync').int32(4).char('ping').build();
    expect(decodePgoutput(ping)).toEqual({
      tag: 'message',
      lsn: 500n,
      transactional: false,
      prefix: 'powersync',
      content: Buffer.from('ping'),
    });
  });

  it('passes over message kinds it does not need', () => {
    expect(decodePgoutput(new Writer().char('Y').int32(1).string('public').string('mood').build())).toEqual({
      tag: 'other',
      kind: 'Y',
    });
  });
});
