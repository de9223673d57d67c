import { describe, expect, it } from 'vitest';
import { describeTheirLines, lineRanges, theirLines } from './merge-summary.ts';

describe('what a merge took from the other side', () => {
  it('lists the merged lines the author did not write, and what they removed', () => {
    const mine = 'One, mine\n\nTwo\n\nThree\n\nFour\n';
    const merged = 'One, mine\n\nTwo, theirs\n\nThree\n\nAdded by them\nMore\n';
    expect(theirLines(merged, mine)).toEqual({ lines: [3, 7, 8], removed: 0 });
    expect(theirLines('One, mine\n\nThree\n', mine)).toEqual({ lines: [], removed: 2 });
    expect(theirLines(mine, mine)).toEqual({ lines: [], removed: 0 });
  });

  it('writes the lines as ranges, and says nothing when nothing came from them', () => {
    expect(lineRanges([1])).toBe('1');
    expect(lineRanges([1, 3, 4, 5, 9])).toBe('1, 3–5 and 9');
    expect(lineRanges([1, 3, 5, 7, 9, 11, 13, 15], 3)).toBe('1, 3, 5 and 5 more');
    expect(describeTheirLines('body', { lines: [2, 3], removed: 1 })).toBe(
      'body: lines 2–3 from them, 1 line removed by them',
    );
    expect(describeTheirLines('body', { lines: [], removed: 0 })).toBeNull();
  });
});
