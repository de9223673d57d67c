import { describe, expect, it } from 'vitest';
import { bsonLine } from '../sync/line-sink.ts';
import { negotiateStreamEncoding } from './stream-encoding.ts';

const SDK_ACCEPT = 'application/vnd.powersync.bson-stream;q=0.9,application/x-ndjson;q=0.8';

describe('negotiateStreamEncoding (as the official service, negotiator 1.x)', () => {
  it('answers the SDK (BSON preferred, fetch asking for gzip) with gzipped BSON', () => {
    expect(negotiateStreamEncoding({ accept: SDK_ACCEPT, 'accept-encoding': 'gzip, deflate' })).toEqual({
      lines: 'bson',
      contentType: 'application/vnd.powersync.bson-stream',
      compression: 'gzip',
    });
  });

  it('keeps ndjson without an Accept header, for */*, for other types, and on a tie', () => {
    for (const accept of [
      undefined,
      '*/*',
      'application/json',
      'application/x-ndjson, application/vnd.powersync.bson-stream',
    ]) {
      expect(negotiateStreamEncoding({ accept }).contentType).toBe('application/x-ndjson');
    }
  });

  it('compresses only when asked: no header, br alone, or gzip refused stay identity', () => {
    expect(negotiateStreamEncoding({}).compression).toBe('identity');
    expect(negotiateStreamEncoding({ 'accept-encoding': 'br' }).compression).toBe('identity');
    expect(negotiateStreamEncoding({ 'accept-encoding': 'gzip;q=0, identity' }).compression).toBe('identity');
    expect(negotiateStreamEncoding({ 'accept-encoding': 'gzip, deflate, br, zstd' }).compression).toBe('gzip');
  });
});

describe('BSON lines', () => {
  it('encode as js-bson does (vectors from the official encoding)', () => {
    expect(bsonLine('{"token_expires_in":60}').toString('hex')).toBe(
      '1b00000010746f6b656e5f657870697265735f696e003c00000000',
    );
    expect(bsonLine('{"checkpoint_complete":{"last_op_id":"10"}}').toString('hex')).toBe(
      '3200000003636865636b706f696e745f636f6d706c6574650018000000026c6173745f6f705f696400030000003130000000',
    );
    // A checksum above 2^31 is a double, as from the official service; below, an int32.
    expect(bsonLine('{"c":3028503153}').toString('hex')).toContain('0163000000204e6990e641');
    expect(bsonLine('{"checksum":-93886621}').toString('hex')).toContain('10636865636b73756d00636767fa');
  });
});

describe('BSON data lines written directly', () => {
  it('are the bytes js-bson writes for the same line', async () => {
    const { serialize } = await import('bson');
    const { bsonDataLine, encodeOpBson } = await import('../protocol/bson-lines.ts');
    const put = {
      opId: 12,
      op: 'PUT' as const,
      objectType: 'tasks',
      objectId: 't1',
      subkey: 'a/b',
      data: '{"id":"t1","x":"é\\u0000"}',
      checksum: 3028503153,
    };
    const clear = {
      opId: 13,
      op: 'CLEAR' as const,
      objectType: null,
      objectId: null,
      subkey: null,
      data: null,
      checksum: 5,
    };
    const line = bsonDataLine('1#team[]', [encodeOpBson(put), encodeOpBson(clear)], 0, 13, false);
    const expected = serialize({
      data: {
        bucket: '1#team[]',
        data: [
          {
            op_id: '12',
            op: 'PUT',
            object_type: 'tasks',
            object_id: 't1',
            subkey: 'a/b',
            data: put.data,
            checksum: 3028503153,
          },
          { op_id: '13', op: 'CLEAR', checksum: 5 },
        ],
        has_more: false,
        after: '0',
        next_after: '13',
      },
    });
    expect(line.toString('hex')).toBe(Buffer.from(expected).toString('hex'));
  });
});
