import type { MetricsRow } from '../api/api-client.ts';

export type Bucket = 'minute' | 'hour';

export interface Series {
  key: string;
  table: string;
  status: string;
  code: string;
  counts: number[];
  total: number;
}

export interface ChartData {
  /** Every bucket of the range, oldest first, as ISO strings (UTC). */
  buckets: string[];
  series: Series[];
  /** The tallest stacked bar. */
  max: number;
}

const STEP_MS: Record<Bucket, number> = { minute: 60_000, hour: 3_600_000 };

/** The start of the bucket `ms` falls in, as the API spells it (2026-11-22T10:05:00Z). */
export function bucketStart(ms: number, bucket: Bucket): string {
  const start = Math.floor(ms / STEP_MS[bucket]) * STEP_MS[bucket];
  return new Date(start).toISOString().replace('.000Z', 'Z');
}

/** Which outcomes the chart shows: what a person had to look at, not what simply applied. */
export const CHARTED_STATUSES = ['conflict', 'rejected'];

/**
 * Conflicts and rejections per table and reason over time, for a stacked bar chart: one series
 * per (table, status, code), a count per bucket of the range (zero where nothing happened).
 */
export function buildChart(
  timeline: readonly (MetricsRow & { bucket: string })[],
  range: { fromMs: number; toMs: number; bucket: Bucket },
): ChartData {
  const buckets: string[] = [];
  const step = STEP_MS[range.bucket];
  for (let ms = Date.parse(bucketStart(range.fromMs, range.bucket)); ms <= range.toMs; ms += step) {
    buckets.push(bucketStart(ms, range.bucket));
  }
  const index = new Map(buckets.map((bucket, i) => [bucket, i]));
  const byKey = new Map<string, Series>();
  for (const row of timeline) {
    if (!CHARTED_STATUSES.includes(row.status)) continue;
    const at = index.get(bucketStart(Date.parse(row.bucket), range.bucket));
    if (at === undefined) continue;
    const code = row.code ?? row.status.toUpperCase();
    const key = `${row.table} · ${code}`;
    let series = byKey.get(key);
    if (!series) {
      series = { key, table: row.table, status: row.status, code, counts: buckets.map(() => 0), total: 0 };
      byKey.set(key, series);
    }
    series.counts[at] = (series.counts[at] ?? 0) + row.count;
    series.total += row.count;
  }
  const series = [...byKey.values()].sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  const max = Math.max(0, ...buckets.map((_, i) => series.reduce((sum, s) => sum + (s.counts[i] ?? 0), 0)));
  return { buckets, series, max };
}

/** A round axis maximum at or above `max` (1, 2, 5, 10, 20, 50 …). */
export function niceMax(max: number): number {
  if (max <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const factor of [1, 2, 5, 10]) if (factor * magnitude >= max) return factor * magnitude;
  return 10 * magnitude;
}
