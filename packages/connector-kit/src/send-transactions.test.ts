import { describe, expect, it } from 'vitest';
import { fitsChunk, judgeUploadMany, prepareTransaction } from './send-transactions.ts';

const tx = (id: number, ops: number[]) =>
  prepareTransaction({
    transactionId: id,
    crud: ops.map((op) => ({
      clientId: op,
      toJSON: () => ({ op_id: op, op: 'PUT', type: 'notes', id: 'n', data: {} }),
    })),
  });
const applied = (ids: number[]) => ids.map((op_id) => ({ op_id, table: 'notes', id: 'n', status: 'applied' }));

describe('judgeUploadMany', () => {
  it('counts as done only the transactions answered in full, from the first', () => {
    const body = {
      transactions: [{ outcomes: applied([1, 2]) }, { outcomes: applied([3]) }, { outcomes: applied([4]) }],
    };
    expect(judgeUploadMany(200, body, [[1, 2], [3, 9], [4]])).toMatchObject({ kind: 'done', done: 1 });
    expect(judgeUploadMany(200, body, [[1, 2], [3], [4]])).toMatchObject({ kind: 'done', done: 3, stopped: null });
    expect(judgeUploadMany(200, { transactions: [] }, [[1]])).toMatchObject({ kind: 'retry' });
    expect(judgeUploadMany(200, { outcomes: [] }, [[1]])).toMatchObject({ kind: 'retry' });
  });

  it('passes on why the server stopped, and judges errors as the single form does', () => {
    const stopped = { code: 'DATABASE_UNAVAILABLE', message: 'Gone.' };
    expect(judgeUploadMany(200, { transactions: [{ outcomes: applied([1]) }], stopped }, [[1], [2]])).toMatchObject({
      kind: 'done',
      done: 1,
      stopped: 'Gone.',
    });
    expect(judgeUploadMany(413, { error: { code: 'BODY_TOO_LARGE', message: 'Big.' } }, [[1]])).toMatchObject({
      kind: 'stuck',
      code: 'BODY_TOO_LARGE',
    });
    expect(judgeUploadMany(401, null, [[1]]).kind).toBe('reauth');
    expect(judgeUploadMany(503, null, [[1]]).kind).toBe('retry');
  });
});

describe('fitsChunk', () => {
  it('keeps a chunk below the operation and byte limits, and takes any first transaction', () => {
    const big = tx(1, [1, 2, 3]);
    expect(fitsChunk([], big, { maxOperations: 1, maxBytes: 10 })).toBe(true);
    expect(fitsChunk([big], tx(2, [4]), { maxOperations: 4, maxBytes: 10_000 })).toBe(true);
    expect(fitsChunk([big], tx(2, [4, 5]), { maxOperations: 4, maxBytes: 10_000 })).toBe(false);
    expect(fitsChunk([big], tx(2, [4]), { maxOperations: 4, maxBytes: big.json.length + 20 })).toBe(false);
  });
});
