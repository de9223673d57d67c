import { describe, expect, it } from 'vitest';
import { describeOutcome } from './describe-outcome.ts';

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

  it('tells the author of a merge what came from the other side', () => {
    expect(
      describeOutcome({
        op_id: 1,
        table: 'documents',
        id: 'd',
        status: 'merged',
        code: 'MERGED_CONCURRENT_EDITS',
        message:
          'Merged with version 4 (last changed by bob): your changes and theirs are both in version 5. From version 4: body: line 5 from them.',
      }),
    ).toBe(
      'Your document change was merged with a newer version. Merged with version 4 (last changed by bob): your changes and theirs are both in version 5. From version 4: body: line 5 from them.',
    );
  });
});
