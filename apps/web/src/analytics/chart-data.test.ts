import { describe, expect, it } from 'vitest';
import { bucketStart, buildChart, niceMax } from './chart-data.ts';

const at = (iso: string) => Date.parse(iso);

describe('buildChart', () => {
  const range = { fromMs: at('2026-11-22T10:00:30Z'), toMs: at('2026-11-22T10:03:10Z'), bucket: 'minute' as const };

  it('fills every bucket of the range and keeps only conflicts and rejections', () => {
    const chart = buildChart(
      [
        { bucket: '2026-11-22T10:01:00Z', table: 'documents', status: 'conflict', code: 'VERSION_MISMATCH', count: 2 },
        { bucket: '2026-11-22T10:01:00Z', table: 'orders', status: 'rejected', code: 'INVALID_TRANSITION', count: 1 },
        { bucket: '2026-11-22T10:03:00Z', table: 'documents', status: 'conflict', code: 'VERSION_MISMATCH', count: 1 },
        { bucket: '2026-11-22T10:02:00Z', table: 'tasks', status: 'applied', code: null, count: 40 },
      ],
      range,
    );
    expect(chart.buckets).toEqual([
      '2026-11-22T10:00:00Z',
      '2026-11-22T10:01:00Z',
      '2026-11-22T10:02:00Z',
      '2026-11-22T10:03:00Z',
    ]);
    expect(chart.series.map((series) => [series.key, series.counts])).toEqual([
      ['documents · VERSION_MISMATCH', [0, 2, 0, 1]],
      ['orders · INVALID_TRANSITION', [0, 1, 0, 0]],
    ]);
    expect(chart.max).toBe(3);
  });

  it('ignores rows outside the range', () => {
    const chart = buildChart(
      [{ bucket: '2026-11-21T10:01:00Z', table: 'orders', status: 'rejected', code: 'ORDER_LOCKED', count: 5 }],
      range,
    );
    expect(chart.series).toEqual([]);
    expect(chart.max).toBe(0);
  });
});

describe('bucketStart', () => {
  it('truncates to the bucket like the API does', () => {
    expect(bucketStart(at('2026-11-22T10:17:45.123Z'), 'hour')).toBe('2026-11-22T10:00:00Z');
    expect(bucketStart(at('2026-11-22T10:17:45.123Z'), 'minute')).toBe('2026-11-22T10:17:00Z');
  });
});

describe('niceMax', () => {
  it('rounds the axis up', () => {
    expect([0, 1, 3, 7, 12, 51].map(niceMax)).toEqual([1, 1, 5, 10, 20, 100]);
  });
});
