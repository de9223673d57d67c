import { describe, expect, it } from 'vitest';
import type { IssuedTx, Outcome, UploadAttempt } from '../history.ts';
import { checkOutcomes, type RecordedEffects } from './outcomes.ts';

const tx = (opIds: number[]): IssuedTx => ({
  client: 'c1',
  at: 0,
  txId: 1,
  kind: 'test',
  ops: opIds.map((opId) => ({
    opId,
    op: 'PATCH',
    table: 'tasks',
    id: `t${opId}`,
    data: {},
    old: null,
    metadata: null,
  })),
});
const answer = (opId: number, status: Outcome['status'], extra: Partial<Outcome> = {}): Outcome => ({
  op_id: opId,
  table: 'tasks',
  id: `t${opId}`,
  status,
  ...extra,
});
const upload = (outcomes: Outcome[], completed: boolean, dropped = false): UploadAttempt => ({
  client: 'c1',
  at: 0,
  txId: 1,
  opIds: outcomes.map((o) => o.op_id),
  status: 200,
  outcomes,
  dropped,
  completed,
});
const none: RecordedEffects = { conflicts: [], rejections: [] };
const check = (issued: IssuedTx[], uploads: UploadAttempt[], effects = none) =>
  checkOutcomes({ issued, uploads, clientIds: new Map([['c1', 'ps1']]), effects }).map((v) => v.checker);

describe('checkOutcomes', () => {
  it('accepts one outcome per operation, the same after a lost answer, recorded once', () => {
    const effects: RecordedEffects = {
      conflicts: [{ clientId: 'ps1', opId: 2, id: 'k' }],
      rejections: [{ clientId: 'ps1', opId: 3, code: 'NOPE', data: null }],
    };
    const outcomes = [
      answer(1, 'applied'),
      answer(2, 'conflict', { conflict_id: 'k' }),
      answer(3, 'rejected', { code: 'NOPE' }),
    ];
    expect(check([tx([1, 2, 3])], [upload(outcomes, false, true), upload(outcomes, true)], effects)).toEqual([]);
  });

  it('finds an operation without an outcome, or completed twice', () => {
    expect(check([tx([1])], [])).toEqual(['one outcome']);
    expect(check([tx([1])], [upload([answer(1, 'applied')], true), upload([answer(1, 'applied')], true)])).toEqual([
      'one outcome',
    ]);
  });

  it('finds two different answers about one operation', () => {
    const effects: RecordedEffects = {
      conflicts: [],
      rejections: [{ clientId: 'ps1', opId: 1, code: 'X', data: null }],
    };
    expect(
      check(
        [tx([1])],
        [upload([answer(1, 'applied')], false, true), upload([answer(1, 'rejected', { code: 'X' })], true)],
        effects,
      ),
    ).toContain('one outcome');
  });

  it('finds an outcome recorded twice, or not at all', () => {
    const twice: RecordedEffects = {
      conflicts: [
        { clientId: 'ps1', opId: 1, id: 'k1' },
        { clientId: 'ps1', opId: 1, id: 'k2' },
      ],
      rejections: [],
    };
    expect(check([tx([1])], [upload([answer(1, 'conflict', { conflict_id: 'k1' })], true)], twice)).toEqual([
      'no effect twice',
    ]);
    expect(check([tx([1])], [upload([answer(1, 'rejected', { code: 'X' })], true)])).toEqual(['no effect twice']);
  });
});
