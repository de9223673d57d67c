import { describe, expect, it } from 'vitest';
import { checkConvergence } from './convergence.ts';
import { ALICE, history, read, task } from './fixtures.ts';

const rows = [
  history('tasks', 'a', [
    [1, task('a', 'A')],
    [2, task('a', 'A2')],
  ]),
  history('tasks', 'b', [[1, task('b', 'B')]]),
];
const check = (held: ReturnType<typeof read>) =>
  checkConvergence({ clients: [ALICE], reads: [held], rows, lastSeq: 2 }).map((v) => v.message);

describe('checkConvergence', () => {
  it('accepts a client holding exactly the latest state', () => {
    expect(
      check(
        read(ALICE, 1, {
          p1: [
            ['tasks', task('a', 'A2')],
            ['tasks', task('b', 'B')],
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('finds stale, missing and extra rows, and leftovers to upload', () => {
    expect(
      check(
        read(ALICE, 1, {
          p1: [
            ['tasks', task('a', 'A')],
            ['tasks', task('b', 'B')],
          ],
        }),
      )[0],
    ).toContain('stale tasks/a');
    expect(check(read(ALICE, 1, { p1: [['tasks', task('a', 'A2')]] }))[0]).toContain('missing tasks/b');
    expect(
      check(
        read(ALICE, 1, {
          p1: [
            ['tasks', task('a', 'A2')],
            ['tasks', task('b', 'B')],
            ['tasks', task('c', 'C')],
          ],
        }),
      )[0],
    ).toContain('extra tasks/c');
    const pending = {
      ...read(ALICE, 1, {
        p1: [
          ['tasks', task('a', 'A2')],
          ['tasks', task('b', 'B')],
        ],
      }),
      queueEmpty: false,
    };
    expect(check(pending)).toEqual(['c1 still has uploads queued']);
  });
});
