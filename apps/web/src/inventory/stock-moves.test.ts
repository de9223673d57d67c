import { describe, expect, it } from 'vitest';
import { checkStockMove, shownStock } from './stock-moves.ts';

describe('checkStockMove', () => {
  it('refuses a sale larger than the stock seen here', () => {
    expect(checkStockMove('sell', 3, 5, 'Blue mug')).toBe('Only 3 of Blue mug in stock here; cannot sell 5.');
    expect(checkStockMove('sell', 3, 3, 'Blue mug')).toBeNull();
  });

  it('allows any restock of a positive whole number', () => {
    expect(checkStockMove('restock', 0, 12, 'Blue mug')).toBeNull();
  });

  it('refuses amounts that are not positive whole numbers', () => {
    for (const amount of [0, -2, 1.5, Number.NaN]) {
      expect(checkStockMove('sell', 10, amount, 'Blue mug')).toBe('Enter a whole number of 1 or more.');
    }
  });
});

describe('shownStock', () => {
  it('never shows negative stock', () => {
    expect(shownStock(-2)).toBe(0);
    expect(shownStock(null)).toBe(0);
    expect(shownStock(7)).toBe(7);
  });
});
