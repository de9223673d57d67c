import { describe, expect, it } from 'vitest';
import { judgeUpload } from './judge-upload.ts';

const applied = (op_id: number) => ({ op_id, table: 'notes', id: `t${op_id}`, status: 'applied' as const });

describe('judgeUpload', () => {
  it('completes when every operation has an outcome, and lists rejections, conflicts and merges', () => {
    const rejected = {
      op_id: 2,
      table: 'tickets',
      id: 'o1',
      status: 'rejected' as const,
      code: 'TICKET_CLOSED',
      message: 'A closed ticket stays closed.',
    };
    const conflict = { op_id: 3, table: 'pages', id: 'd1', status: 'conflict' as const, conflict_id: 'c1' };
    const merged = { op_id: 4, table: 'pages', id: 'd2', status: 'merged' as const, message: 'Merged with version 2.' };
    const verdict = judgeUpload(200, { outcomes: [applied(1), rejected, conflict, merged] }, [1, 2, 3, 4]);
    expect(verdict).toEqual({
      kind: 'complete',
      outcomes: [applied(1), rejected, conflict, merged],
      notable: [rejected, conflict, merged],
    });
  });

  it('never completes a transaction whose fate is unknown', () => {
    expect(judgeUpload(200, { outcomes: [applied(1)] }, [1, 2]).kind).toBe('retry');
    expect(judgeUpload(200, {}, [1]).kind).toBe('retry');
    expect(judgeUpload(200, null, [1]).kind).toBe('retry');
    expect(judgeUpload(200, { outcomes: [{ op_id: 1, status: 'maybe' }] }, [1]).kind).toBe('retry');
    // Every outcome as the contract declares it: a table and an id, a known status.
    expect(judgeUpload(200, { outcomes: [{ op_id: 1, status: 'applied' }] }, [1]).kind).toBe('retry');
    expect(judgeUpload(200, { outcomes: [{ ...applied(1), op_id: 1.5 }] }, [1]).kind).toBe('retry');
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
