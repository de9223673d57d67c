import { describe, expect, it } from 'vitest';
import { bannerRows, cardEnding, nextOpen } from './banner-rows.ts';

const c = (id: string) => ({ id });

describe('bannerRows', () => {
  it('keeps the order of the opened banner; new conflicts are announced, not inserted', () => {
    const cache = new Map([
      ['a', c('a')],
      ['b', c('b')],
    ]);
    const { rows, arrived } = bannerRows(['a', 'b'], [c('new'), c('a'), c('b')], cache);
    expect(rows.map((row) => row.id)).toEqual(['a', 'b']);
    expect(arrived.map((conflict) => conflict.id)).toEqual(['new']);
  });

  it('keeps a resolved conflict in its place, from the cache', () => {
    const cache = new Map([
      ['a', c('a')],
      ['b', c('b')],
      ['x', c('x')],
    ]);
    const { rows } = bannerRows(['a', 'b', 'x'], [c('b'), c('x')], cache);
    expect(rows).toEqual([
      { id: 'a', conflict: c('a'), open: false },
      { id: 'b', conflict: c('b'), open: true },
      { id: 'x', conflict: c('x'), open: true },
    ]);
  });
});

describe('nextOpen', () => {
  const rows = [
    { id: 'a', conflict: c('a'), open: false },
    { id: 'b', conflict: c('b'), open: true },
    { id: 'x', conflict: c('x'), open: true },
  ];
  it('moves on to the next open card, else back, else nowhere', () => {
    expect(nextOpen(rows, 'b')).toBe('x');
    expect(nextOpen(rows, 'x')).toBe('b');
    expect(nextOpen([{ id: 'a', conflict: c('a'), open: false }], 'a')).toBeNull();
  });
});

describe('cardEnding', () => {
  it('a choice made here ends the card at once, before the sync confirms it', () => {
    expect(cardEnding({ open: true }, 'merged', false)).toEqual({ ended: 'merged', reopened: false });
    expect(cardEnding({ open: false }, 'merged', true)).toEqual({ ended: 'merged', reopened: false });
  });

  it('open again after it was seen closed: the server refused the choice, the card is live again', () => {
    expect(cardEnding({ open: true }, 'merged', true)).toEqual({ ended: null, reopened: true });
  });

  it('without a choice here: live while open, resolved elsewhere once gone', () => {
    expect(cardEnding({ open: true }, undefined, false)).toEqual({ ended: null, reopened: false });
    expect(cardEnding({ open: false }, undefined, false)).toEqual({ ended: 'elsewhere', reopened: false });
  });
});
