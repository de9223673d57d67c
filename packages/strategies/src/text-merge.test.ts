import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleText, joinLines, mergeText, splitLines, type TextMerge } from './text-merge.ts';

const doc = (...lines: string[]) => lines.map((line) => `${line}\n`).join('');

/** The same merge seen from the other side: hunks with server and client swapped. */
function mirrored(result: TextMerge): TextMerge {
  if (result.status === 'merged') return result;
  const swap = (h: { line: number; base: string; server: string; client: string }) => ({
    ...h,
    server: h.client,
    client: h.server,
  });
  return {
    ...result,
    hunks: result.hunks.map(swap),
    parts: result.parts.map((part) => (typeof part === 'string' ? part : swap(part))),
  };
}

describe('mergeText(base, server, client)', () => {
  const base = doc('Intro', '', 'Middle', '', 'End');

  it.each([
    ['different paragraphs', doc('Intro!', '', 'Middle', '', 'End'), doc('Intro', '', 'Middle', '', 'End!')],
    ['one side only', base, doc('Intro', '', 'Middle?', '', 'End')],
    ['the same change on both sides', doc('Intro', '', 'New', '', 'End'), doc('Intro', '', 'New', '', 'End')],
    ['a deletion and an edit elsewhere', doc('Intro', '', 'Middle', ''), doc('Intro.', '', 'Middle', '', 'End')],
  ])('merges %s', (_, server, client) => {
    const result = mergeText(base, server, client);
    expect(result.status).toBe('merged');
    expect(result).toEqual(mirrored(mergeText(base, client, server)));
  });

  it('merges edits of different paragraphs into one text holding both', () => {
    expect(mergeText(base, doc('Intro!', '', 'Middle', '', 'End'), doc('Intro', '', 'Middle', '', 'End!'))).toEqual({
      status: 'merged',
      merged: doc('Intro!', '', 'Middle', '', 'End!'),
    });
  });

  it('records overlapping edits as hunks holding the three texts, and keeps the rest merged', () => {
    const result = mergeText(base, doc('Intro!', '', 'Mine', '', 'End'), doc('Intro', '', 'Yours', '', 'End'));
    expect(result).toEqual({
      status: 'conflict',
      hunks: [{ line: 2, base: 'Middle\n', server: 'Mine\n', client: 'Yours\n' }],
      parts: ['Intro!\n\n', { line: 2, base: 'Middle\n', server: 'Mine\n', client: 'Yours\n' }, '\nEnd\n'],
      finalNewline: true,
    });
    if (result.status !== 'conflict') return;
    expect(assembleText(result, (h) => h.client + h.server)).toBe(doc('Intro!', '', 'Yours', 'Mine', '', 'End'));
    expect(
      mirrored(mergeText(base, doc('Intro', '', 'Yours', '', 'End'), doc('Intro!', '', 'Mine', '', 'End'))),
    ).toEqual(result);
  });

  it('keeps both insertions at the same place, in one order whoever arrived first', () => {
    const alice = doc('Intro', '', 'Middle', '', 'End', 'Alice was here');
    const bob = doc('Intro', '', 'Middle', '', 'End', 'Bob was here');
    const expected = {
      status: 'merged',
      merged: doc('Intro', '', 'Middle', '', 'End', 'Alice was here', 'Bob was here'),
    };
    expect(mergeText(base, alice, bob)).toEqual(expected);
    expect(mergeText(base, bob, alice)).toEqual(expected);
  });

  it('appends to a text without a final newline on both sides without a conflict', () => {
    expect(mergeText('a', 'a\nb', 'a\nc')).toEqual({ status: 'merged', merged: 'a\nb\nc' });
    expect(mergeText('a\n', 'a', 'x\na\n')).toEqual({ status: 'merged', merged: 'x\na' });
  });

  it('keeps CRLF, NUL, lone surrogates, emoji and Object.prototype names exactly', () => {
    const hostile = 'x\r\n\u0000\r\n\ud800 half\n😀\n__proto__\nconstructor\n';
    const server = `top\n${hostile}`;
    const client = `${hostile}bottom`;
    expect(mergeText(hostile, server, client)).toEqual({ status: 'merged', merged: `top\n${hostile}bottom` });
    expect(mergeText('', '', '')).toEqual({ status: 'merged', merged: '' });
    expect(mergeText('', 'a', 'b')).toEqual({ status: 'merged', merged: 'a\nb' });
    expect(mergeText('a\n', '', 'b\n')).toMatchObject({
      status: 'conflict',
      hunks: [{ base: 'a\n', server: '', client: 'b\n' }],
    });
  });
});

/** Texts built from a few lines, so that sides share lines often, with hostile characters. */
const line = fc.constantFrom('a', 'b', 'c', '', '\r', 'x\u0000', '\ud83d', '😀', '__proto__', 'd d');
const text = fc
  .tuple(fc.array(line, { maxLength: 8 }), fc.boolean())
  .map(([lines, end]) => (lines.length === 0 ? '' : lines.join('\n') + (end ? '\n' : '')));

describe('mergeText properties', () => {
  it('is symmetric: swapping the sides swaps the hunks and nothing else', () => {
    fc.assert(
      fc.property(text, text, text, (b, x, y) => {
        expect(mergeText(b, x, y)).toEqual(mirrored(mergeText(b, y, x)));
      }),
    );
  });

  it('returns the other side when one side is unchanged, and the base when none changed', () => {
    fc.assert(
      fc.property(text, text, (b, x) => {
        expect(mergeText(b, b, x)).toEqual({ status: 'merged', merged: x });
        expect(mergeText(b, x, b)).toEqual({ status: 'merged', merged: x });
        expect(mergeText(b, b, b)).toEqual({ status: 'merged', merged: b });
        const { lines, finalNewline } = splitLines(x);
        expect(joinLines(lines, finalNewline)).toBe(x);
      }),
    );
  });

  it('loses nothing either side wrote when they change paragraphs apart from each other', () => {
    // A base of paragraphs; each side rewrites, deletes or adds after its own paragraphs, and an
    // untouched paragraph always separates a paragraph of one side from one of the other.
    const edit = fc.constantFrom<'keep' | 'rewrite' | 'delete' | 'add'>('keep', 'rewrite', 'delete', 'add');
    fc.assert(
      fc.property(fc.array(fc.tuple(edit, fc.boolean()), { minLength: 1, maxLength: 12 }), (plan) => {
        const base: string[] = [];
        const server: string[] = [];
        const client: string[] = [];
        const expected: string[] = [];
        plan.forEach(([change, serverSide], i) => {
          const p = `p${i}\n`;
          base.push(p, '\n');
          const mine = (i % 2 === 0 ? change : 'keep') as typeof change; // odd paragraphs separate
          const next =
            mine === 'keep'
              ? [p]
              : mine === 'rewrite'
                ? [`p${i} (${serverSide ? 's' : 'c'})\n`]
                : mine === 'delete'
                  ? []
                  : [p, `new ${i}\n`];
          const [changed, other] = serverSide ? [server, client] : [client, server];
          changed.push(...next, '\n');
          other.push(p, '\n');
          expected.push(...next, '\n');
        });
        expect(mergeText(base.join(''), server.join(''), client.join(''))).toEqual({
          status: 'merged',
          merged: expected.join(''),
        });
      }),
    );
  });

  it('keeps every line either side added when the merge succeeds', () => {
    fc.assert(
      fc.property(text, text, text, (b, x, y) => {
        const result = mergeText(b, x, y);
        if (result.status !== 'merged') return;
        const lines = (t: string) => new Set(t.split('\n'));
        const merged = lines(result.merged);
        const before = lines(b);
        for (const side of [x, y]) for (const l of lines(side)) if (!before.has(l)) expect(merged.has(l)).toBe(true);
      }),
    );
  });
});
