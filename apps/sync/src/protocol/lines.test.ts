import { describe, expect, it } from 'vitest';
import {
  checkpointCompleteLine,
  checkpointDiffLine,
  checkpointLine,
  dataLine,
  encodeOp,
  partialCheckpointCompleteLine,
  tokenExpiresInLine,
} from './lines.ts';

const put = {
  opId: 12,
  op: 'PUT' as const,
  objectType: 'tasks',
  objectId: 't1',
  subkey: 'k',
  data: '{"id":"t1","priority":3,"score":1.0}',
  checksum: 0xfedc_ba98,
};

describe('sync lines', () => {
  it('encode an op with a string op id, an integer checksum and the row as a JSON string', () => {
    const op = JSON.parse(encodeOp(put));
    expect(op).toEqual({
      op_id: '12',
      op: 'PUT',
      object_type: 'tasks',
      object_id: 't1',
      subkey: 'k',
      data: put.data,
      checksum: 0xfedc_ba98,
    });
  });

  it('give legacy clients (raw_data false) the row as an object', () => {
    expect(JSON.parse(encodeOp(put, false)).data).toEqual({ id: 't1', priority: 3, score: 1 });
  });

  it('leave out what MOVE and CLEAR do not carry', () => {
    const clear = { ...put, op: 'CLEAR' as const, objectType: null, objectId: null, subkey: null, data: null };
    expect(JSON.parse(encodeOp(clear))).toEqual({ op_id: '12', op: 'CLEAR', checksum: 0xfedc_ba98 });
  });

  it('write op ids as strings and numbers as integers, one JSON object per line', () => {
    const lines = [
      checkpointLine(
        7,
        3n,
        [{ bucket: 'b', checksum: 5, count: 2, priority: 1, subscriptions: [{ default: 0 }] }],
        [{ name: 'team', is_default: true, errors: [] }],
      ),
      checkpointLine(7, null, []),
      checkpointDiffLine(8, 4n, [{ bucket: 'b', checksum: 6, count: 3, priority: 3 }], ['gone']),
      dataLine('b', [encodeOp(put)], 0, 12, false),
      checkpointCompleteLine(8),
      partialCheckpointCompleteLine(8, 1),
      tokenExpiresInLine(59.9),
    ];
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      // Outside strings, no number is written as 1.0: the client rejects it where it expects an integer.
      expect(line.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/\d\.0/);
    }
    expect(JSON.parse(lines[0] as string)).toEqual({
      checkpoint: {
        last_op_id: '7',
        write_checkpoint: '3',
        buckets: [{ bucket: 'b', checksum: 5, count: 2, priority: 1, subscriptions: [{ default: 0 }] }],
        streams: [{ name: 'team', is_default: true, errors: [] }],
      },
    });
    expect(JSON.parse(lines[1] as string).checkpoint).not.toHaveProperty('write_checkpoint');
    expect(JSON.parse(lines[2] as string)).toEqual({
      checkpoint_diff: {
        last_op_id: '8',
        write_checkpoint: '4',
        updated_buckets: [{ bucket: 'b', checksum: 6, count: 3, priority: 3, subscriptions: [] }],
        removed_buckets: ['gone'],
      },
    });
    expect(JSON.parse(lines[3] as string).data).toMatchObject({
      bucket: 'b',
      has_more: false,
      after: '0',
      next_after: '12',
    });
    expect(JSON.parse(lines[4] as string)).toEqual({ checkpoint_complete: { last_op_id: '8' } });
    expect(JSON.parse(lines[5] as string)).toEqual({ partial_checkpoint_complete: { last_op_id: '8', priority: 1 } });
    expect(JSON.parse(lines[6] as string)).toEqual({ token_expires_in: 59 });
  });
});
