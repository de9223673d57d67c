import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sideOf, textDiff } from './text-diff.ts';

describe('textDiff', () => {
  it('marks only the words that changed inside a replaced line', () => {
    expect(textDiff('Lock the doors.\nTurn off the lights.\n', 'Lock the back doors.\nTurn off the lights.\n')).toEqual(
      [
        { text: 'Lock the ', change: 'same' },
        { text: 'back ', change: 'added' },
        { text: 'doors.\nTurn off the lights.\n', change: 'same' },
      ],
    );
  });

  it('keeps whole added and removed lines whole', () => {
    expect(textDiff('a\nb\n', 'a\n')).toEqual([
      { text: 'a\n', change: 'same' },
      { text: 'b\n', change: 'removed' },
    ]);
    expect(textDiff('', 'new\n')).toEqual([{ text: 'new\n', change: 'added' }]);
    expect(textDiff('same', 'same')).toEqual([{ text: 'same', change: 'same' }]);
  });

  it('loses nothing: the unchanged and removed parts are the old text, the unchanged and added the new', () => {
    const text = fc.array(fc.constantFrom('a', 'b', ' ', 'word', '\n', '\r\n', 'é', '😀', '.'), { maxLength: 40 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const before = a.join('');
        const after = b.join('');
        const segments = textDiff(before, after);
        expect(sideOf(segments, 'before')).toBe(before);
        expect(sideOf(segments, 'after')).toBe(after);
        expect(segments.every((segment) => segment.text !== '')).toBe(true);
      }),
    );
  });

  it('falls back to whole lines for very large replaced blocks', () => {
    const before = `${'x'.repeat(15_000)}\n`;
    const after = `${'y'.repeat(15_000)}\n`;
    expect(textDiff(before, after)).toEqual([
      { text: before, change: 'removed' },
      { text: after, change: 'added' },
    ]);
  });
});
