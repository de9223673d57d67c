import { useCallback, useEffect, useMemo, useState } from 'react';
import { fetchMetrics, type Metrics } from '../api/api-client.ts';
import { useSession } from '../session/session-context.ts';
import { StrategyNote } from '../ui/StrategyNote.tsx';
import { type Bucket, buildChart } from './chart-data.ts';
import { OutcomeTotals } from './OutcomeTotals.tsx';
import { PALETTE, TimelineChart } from './TimelineChart.tsx';

const RANGES: Record<Bucket, { label: string; spanMs: number }> = {
  minute: { label: 'Last hour, per minute', spanMs: 3_600_000 },
  hour: { label: 'Last 24 hours, per hour', spanMs: 24 * 3_600_000 },
};
const REFRESH_MS = 15_000;

/** Conflict analytics: conflicts and rejections per table and reason over time (from the API). */
export function AnalyticsScreen() {
  const [bucket, setBucket] = useState<Bucket>('minute');
  const [metrics, setMetrics] = useState<{ data: Metrics; fromMs: number; toMs: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { apiToken } = useSession();

  const load = useCallback(
    (signal?: AbortSignal) => {
      const toMs = Date.now();
      const fromMs = toMs - RANGES[bucket].spanMs;
      apiToken()
        .then((token) => fetchMetrics(bucket, new Date(fromMs).toISOString(), token, signal))
        .then(
          (data) => {
            setMetrics({ data, fromMs, toMs });
            setError(null);
          },
          (failure: Error) => {
            if (!signal?.aborted) setError(failure.message);
          },
        );
    },
    [bucket, apiToken],
  );

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    const timer = setInterval(() => load(controller.signal), REFRESH_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [load]);

  const chart = useMemo(
    () => (metrics ? buildChart(metrics.data.timeline, { fromMs: metrics.fromMs, toMs: metrics.toMs, bucket }) : null),
    [metrics, bucket],
  );

  return (
    <>
      <StrategyNote title="Conflict analytics" strategy="All strategies">
        What the upload API decided, across all users: conflicts recorded (timestamp and version checks) and changes
        refused (business rules, stock, permissions), per table and reason over time. Spikes show where people edit the
        same things while apart; a reason that keeps coming back may be a rule worth explaining better in the app. This
        page reads the server, so it needs a connection.
      </StrategyNote>
      <div className="toolbar">
        <fieldset className="segmented">
          <legend className="visually-hidden">Time range</legend>
          {(Object.keys(RANGES) as Bucket[]).map((value) => (
            <label key={value}>
              <input type="radio" name="range" checked={bucket === value} onChange={() => setBucket(value)} />
              {RANGES[value].label}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={() => load()}>
          Refresh
        </button>
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error} The analytics need the server; your edits are safe on this device meanwhile.
        </p>
      )}
      {chart && metrics && (
        <section className="panel" aria-label="Conflicts and rejections over time">
          <p className="summary">
            <strong data-testid="open-conflicts">{metrics.data.open_conflicts}</strong> open conflicts ·{' '}
            {chart.series.reduce((sum, s) => sum + s.total, 0)} conflicts and refusals in this range
          </p>
          {chart.series.length === 0 ? (
            <p className="hint">No conflicts or refusals in this range.</p>
          ) : (
            <>
              <TimelineChart chart={chart} hourly={bucket === 'hour'} title={RANGES[bucket].label} />
              <ul className="legend" aria-label="Legend">
                {chart.series.map((s, k) => (
                  <li key={s.key}>
                    <span className="swatch" style={{ background: PALETTE[k % PALETTE.length] }} aria-hidden="true" />
                    {s.key}{' '}
                    <span className="meta">
                      ({s.status}, {s.total})
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <OutcomeTotals outcomes={metrics.data.outcomes} />
        </section>
      )}
    </>
  );
}
