import { describe, expect, it } from 'vitest';
import { normalizeDate, normalizeTimestamp, parseTimestamp } from './timestamps.ts';

describe('timestamps', () => {
  it.each([
    ['2026-11-22T10:00:00.000Z', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00Z', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22 10:00:00+00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00.123456Z', '2026-11-22T10:00:00.123Z'],
    ['2026-11-22T12:30:00+02:30', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T05:00:00-05:00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00+00:00', '2026-11-22T10:00:00.000Z'],
  ])('normalises %s', (input, expected) => {
    expect(normalizeTimestamp(input)).toBe(expected);
    expect(parseTimestamp(input)).toBe(Date.parse(expected));
  });

  it.each([
    'yesterday',
    '2026-11-22T10:00:00',
    '2026-02-30T10:00:00.000Z',
    '2026-13-01T10:00:00.000Z',
    '2026-11-22T24:00:00.000Z',
    '2026-11-22T10:60:00Z',
    '',
  ])('refuses %s', (input) => {
    expect(normalizeTimestamp(input)).toBeNull();
  });

  it('checks calendar dates', () => {
    expect(normalizeDate('2026-02-28')).toBe('2026-02-28');
    expect(normalizeDate('2026-02-29')).toBeNull();
    expect(normalizeDate('2026-1-1')).toBeNull();
  });
});
