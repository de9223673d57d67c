import fc from 'fast-check';
import { diff3Merge } from 'node-diff3';
import { describe, expect, it } from 'vitest';
import { anchors, LCS_BUDGET, mergeLines, type Region } from './line-merge.ts';
import { mergeText } from './text-merge.ts';

const flat = (regions: Region[]): unknown[] => regions.flatMap((r): unknown[] => ('ok' in r ? r.ok : [r.conflict]));

describe('mergeLines: diff3 piece by piece between anchors', () => {
  it('anchors on lines unique in all three texts, in the same order in all three', () => {
    const o = ['A', '', 'B', '', 'C', '', 'D'];
    const a = ['A', '', 'C', '', 'B', '', 'D']; // B and C swapped on one side
    const b = ['A', '', 'B', '', 'C!', '', 'D'];
    // C changed on one side (C!): no anchor. B moved on the other: one of B, C order survives.
    expect(anchors(a, o, b)).toEqual([
      [0, 0, 0],
      [4, 2, 2],
      [6, 6, 6],
    ]);
  });

  it('gives what diff3 of the whole gives, on texts of distinct paragraphs and blank lines', () => {
    const paragraph = fc.integer({ min: 0, max: 40 }).map((n) => `p${n}`);
    const docOf = fc.uniqueArray(paragraph, { maxLength: 15 }).map((ps) => ps.flatMap((p) => [p, '']));
    const edit = (lines: string[]) =>
      fc.array(fc.tuple(fc.nat(), fc.constantFrom('change', 'drop', 'insert')), { maxLength: 3 }).map((edits) => {
        const out = [...lines];
        for (const [at, kind] of edits) {
          const i = out.length ? at % out.length : 0;
          if (kind === 'change' && out.length) out[i] = `${out[i]}*${at}`;
          else if (kind === 'drop') out.splice(i, 1);
          else out.splice(i, 0, `new${at}`);
        }
        return out;
      });
    fc.assert(
      fc.property(
        docOf.chain((o) => fc.tuple(fc.constant(o), edit(o), edit(o))),
        ([o, a, b]) => {
          const whole = diff3Merge(a, o, b, { excludeFalseConflicts: true });
          const pieces = mergeLines(a, o, b);
          // Where diff3 of the whole merges cleanly, the pieces merge to the same text.
          if (whole.every((r) => r.ok)) expect(flat(pieces)).toEqual(whole.flatMap((r) => r.ok ?? []));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('bounds the cost: a piece of thousands of repeated lines changed on both sides is one conflict, fast', () => {
    const blank = '\n'.repeat(20_000);
    const started = performance.now();
    const result = mergeText(blank, `${blank.slice(0, 5_000)}x\n${blank.slice(5_000)}`, `${blank}y\n`);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.status).toBe('conflict');
    if (result.status !== 'conflict') return;
    // Nothing lost: each side's text is one of the hunk's choices.
    expect(result.hunks).toHaveLength(1);
    expect(result.hunks[0]?.server).toContain('x\n');
    expect(result.hunks[0]?.client).toContain('y\n');
    expect(LCS_BUDGET).toBeGreaterThan(1_000_000);
  });

  it('merges a 100 KB document with 50 changed paragraphs on each side in milliseconds', () => {
    const base = Array.from({ length: 1_000 }, (_, i) => `Paragraph ${i}: ${'words '.repeat(14)}\n\n`);
    const a = base.map((p, i) => (i % 20 === 0 ? `Ann ${i}\n\n` : p));
    const b = base.map((p, i) => (i % 20 === 10 ? `Ben ${i}\n\n` : p));
    const started = performance.now();
    const result = mergeText(base.join(''), a.join(''), b.join(''));
    expect(performance.now() - started).toBeLessThan(1_000); // was seconds before the anchors
    expect(result).toEqual({
      status: 'merged',
      merged: base.map((p, i) => (i % 20 === 0 ? `Ann ${i}\n\n` : i % 20 === 10 ? `Ben ${i}\n\n` : p)).join(''),
    });
  });
});
