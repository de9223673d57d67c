import { describe, expect, it } from 'vitest';
import { ALICE, history, RITA, read, rejection, task } from './fixtures.ts';
import { checkReadConsistency } from './read-consistency.ts';

// Cut 1 creates tasks A and B and a rejection for alice; cut 2, one transaction, edits A and deletes B.
const A1 = task('a', 'A');
const A2 = task('a', 'A edited');
const B1 = task('b', 'B');
const R1 = rejection('r', 'alice');
const rows = [
  history('tasks', 'a', [
    [1, A1],
    [2, A2],
  ]),
  history('tasks', 'b', [
    [1, B1],
    [2, null],
  ]),
  history('rejections', 'r', [[1, R1]]),
];
const check = (...reads: ReturnType<typeof read>[]) =>
  checkReadConsistency({ clients: [ALICE, RITA], reads, rows }).map((v) => v.checker);

describe('checkReadConsistency', () => {
  it('accepts reads that are each one state of the database, in order', () => {
    expect(
      check(
        read(ALICE, 1, {
          p1: [
            ['tasks', A1],
            ['tasks', B1],
          ],
          p3: [['rejections', R1]],
        }),
        read(ALICE, 2, { p1: [['tasks', A2]], p3: [['rejections', R1]] }),
        read(RITA, 1, { p1: [['tasks', A2]] }),
      ),
    ).toEqual([]);
  });

  it('finds a read showing part of a source transaction (the edit, and the row it deleted)', () => {
    expect(
      check(
        read(ALICE, 1, {
          p1: [
            ['tasks', A2],
            ['tasks', B1],
          ],
        }),
      ),
    ).toEqual(['whole transactions']);
  });

  it('leaves out rows that show unconfirmed local writes', () => {
    expect(
      check(
        read(
          ALICE,
          1,
          {
            p1: [
              ['tasks', A2],
              ['tasks', B1],
            ],
          },
          ['tasks/b'],
        ),
      ),
    ).toEqual([]);
  });

  it('finds a row nobody committed, and a row the sync rules do not give the reader', () => {
    expect(
      check(
        read(ALICE, 1, {
          p1: [
            ['tasks', A1],
            ['tasks', B1],
            ['tasks', task('c', 'C')],
          ],
        }),
      ),
    ).toEqual(['whole transactions']);
    expect(check(read(RITA, 1, { p1: [['tasks', A2]], p3: [['rejections', R1]] }))).toEqual(['whole transactions']);
  });

  it('finds a read going back to an older state (monotonic reads)', () => {
    expect(
      check(
        read(ALICE, 1, { p1: [['tasks', A2]] }),
        read(ALICE, 2, {
          p1: [
            ['tasks', A1],
            ['tasks', B1],
          ],
        }),
      ),
    ).toEqual(['monotonic reads']);
  });

  it('finds priority-3 data ahead of priority-1 data', () => {
    const rejectionLater = [...rows.slice(0, 2), history('rejections', 'r', [[2, R1]])];
    const violations = checkReadConsistency({
      clients: [ALICE],
      reads: [
        read(ALICE, 1, {
          p1: [
            ['tasks', A1],
            ['tasks', B1],
          ],
          p3: [['rejections', R1]],
        }),
      ],
      rows: rejectionLater,
    });
    expect(violations.map((v) => v.checker)).toEqual(['priority order']);
  });
});
