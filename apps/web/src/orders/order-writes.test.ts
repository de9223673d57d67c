import { describe, expect, it } from 'vitest';
import { parseEuros } from './order-writes.ts';

describe('parseEuros', () => {
  it('reads amounts as cents', () => {
    expect(parseEuros('12.50')).toBe(1250);
    expect(parseEuros('12,5')).toBe(1250);
    expect(parseEuros('0')).toBe(0);
  });

  it('refuses what is not an amount', () => {
    expect(parseEuros('')).toBeNull();
    expect(parseEuros('ten')).toBeNull();
    expect(parseEuros('-1')).toBeNull();
  });
});
