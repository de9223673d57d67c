import { describe, expect, it } from 'vitest';
import { formatBytes, formatLsn, parseLsn } from './lsn.ts';

describe('LSNs', () => {
  it('parse into comparable numbers', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).toBe(true);
    expect(parseLsn('0/a')).toBe(10n);
  });

  it('format the way Postgres does, and round-trip', () => {
    expect(formatLsn(parseLsn('16/B374D848'))).toBe('16/B374D848');
    expect(formatLsn(0n)).toBe('0/0');
  });

  it('reject what is not an LSN', () => {
    expect(() => parseLsn('16-B3')).toThrow();
    expect(() => parseLsn('')).toThrow();
  });

  it('describe byte distances for the log', () => {
    expect(formatBytes(0n)).toBe('0 B');
    expect(formatBytes(12_300)).toBe('12.3 kB');
    expect(formatBytes(4_100_000n)).toBe('4.1 MB');
  });
});
