import { describe, expect, it } from 'vitest';
import { describeOutcome, judgeUpload } from './upload-verdict.ts';

const applied = (op_id: number) => ({ op_id, table: 'tasks', id: `t${op_id}`, status: 'applied' as const });

describe('judgeUpload', () => {
  it('completes when every operation has an outcome, and lists rejections and conflicts', () => {
    const rejected = {
      op_id: 2,
      table: 'orders',
      id: 'o1',
      status: 'rejected' as const,
      code: 'INVALID_TRANSITION',
      message: 'An order cannot go from cancelled to processing; cancelled is final.',
    };
    const conflict = { op_id: 3, table: 'documents', id: 'd1', status: 'conflict' as const, conflict_id: 'c1' };
    const verdict = judgeUpload(200, { outcomes: [applied(1), rejected, conflict] }, [1, 2, 3]);
    expect(verdict).toEqual({
      kind: 'complete',
      outcomes: [applied(1), rejected, conflict],
      notable: [rejected, conflict],
    });
  });

  it('never completes a transaction whose fate is unknown', () => {
    expect(judgeUpload(200, { outcomes: [applied(1)] }, [1, 2]).kind).toBe('retry');
    expect(judgeUpload(200, {}, [1]).kind).toBe('retry');
    expect(judgeUpload(200, null, [1]).kind).toBe('retry');
    expect(judgeUpload(200, { outcomes: [{ op_id: 1, status: 'maybe' }] }, [1]).kind).toBe('retry');
  });

  it('asks for a new token on 401', () => {
    const verdict = judgeUpload(401, { error: { code: 'TOKEN_EXPIRED', message: 'The token has expired.' } }, [1]);
    expect(verdict).toEqual({ kind: 'reauth', message: 'The token has expired. (TOKEN_EXPIRED)' });
  });

  it('marks a transaction the server will never accept as it is as stuck, with the reason', () => {
    expect(judgeUpload(400, { error: { code: 'INVALID_JSON', message: 'Bad.' } }, [1])).toEqual({
      kind: 'stuck',
      code: 'INVALID_JSON',
      message: 'Bad. (INVALID_JSON)',
    });
    expect(judgeUpload(413, { error: { code: 'TOO_MANY_OPERATIONS', message: 'Too many.' } }, [1])).toMatchObject({
      kind: 'stuck',
      code: 'TOO_MANY_OPERATIONS',
    });
    expect(judgeUpload(403, { error: { code: 'CLIENT_ID_IN_USE', message: 'Taken.' } }, [1]).kind).toBe('stuck');
    expect(judgeUpload(413, null, [1])).toEqual({
      kind: 'stuck',
      code: null,
      message: 'The upload API refused these changes (413).',
    });
  });

  it('retries on server errors', () => {
    expect(judgeUpload(503, { error: { code: 'DATABASE_UNAVAILABLE', message: 'Down.' } }, [1])).toEqual({
      kind: 'retry',
      message: 'Down. (DATABASE_UNAVAILABLE)',
    });
    expect(judgeUpload(502, null, [1]).kind).toBe('retry');
    expect(judgeUpload(500, 'not json', [1]).kind).toBe('retry');
  });
});

describe('describeOutcome', () => {
  it('says what was refused and why', () => {
    expect(
      describeOutcome({
        op_id: 1,
        table: 'inventory',
        id: 'i',
        status: 'rejected',
        message: 'Only 2 of Blue mug in stock; cannot take 5.',
      }),
    ).toBe('Your stock change was refused: Only 2 of Blue mug in stock; cannot take 5.');
  });

  it('keeps ids, column names and raw timestamps out of the main text', () => {
    const outcome = { op_id: 1, table: 'tasks', id: 't', status: 'rejected' as const };
    expect(
      describeOutcome({ ...outcome, message: 'tasks.priority must be a priority from 1 (highest) to 5; got 9.' }),
    ).toBe('Your task change was refused: see Refused changes.');
    expect(
      describeOutcome({ ...outcome, status: 'conflict', message: 'changed (at 2026-11-22T10:00:00.000Z by bob)' }),
    ).toBe('Your task change met a newer version on the server and was not applied; it waits in the conflicts banner.');
  });
});
