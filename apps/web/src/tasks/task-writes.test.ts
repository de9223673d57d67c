import { describe, expect, it } from 'vitest';
import { nextModifiedAt } from './task-writes.ts';

describe('nextModifiedAt', () => {
  const now = Date.parse('2026-11-22T10:00:00.000Z');

  it('is now when the current version is older', () => {
    expect(nextModifiedAt('2026-11-01T09:00:00.000000Z', now)).toBe('2026-11-22T10:00:00.000Z');
  });

  it('is one millisecond after the current version when that is in the future (a fast clock elsewhere)', () => {
    expect(nextModifiedAt('2026-11-22T10:05:00.000Z', now)).toBe('2026-11-22T10:05:00.001Z');
  });

  it('is now without a current version', () => {
    expect(nextModifiedAt(null, now)).toBe('2026-11-22T10:00:00.000Z');
  });

  it('understands the spellings the sync service and Postgres use', () => {
    expect(nextModifiedAt('2026-11-22 10:00:00+00', now)).toBe('2026-11-22T10:00:00.001Z');
  });
});
