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
