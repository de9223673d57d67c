import { type ChartData, niceMax } from './chart-data.ts';

export const PALETTE = ['#c8553d', '#2f5d8a', '#e0a458', '#5b8e7d', '#8c6bb1', '#d17a9a', '#6b8fb3', '#9a8c4a'];

const WIDTH = 960;
const HEIGHT = 230;
const PAD = { left: 36, right: 8, top: 12, bottom: 28 };

function tickLabel(bucket: string, hourly: boolean): string {
  const date = new Date(bucket);
  return hourly
    ? date.toLocaleTimeString(undefined, { hour: '2-digit' })
    : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Stacked bars: conflicts and rejections per bucket, one colour per table and reason. */
export function TimelineChart(props: { chart: ChartData; hourly: boolean; title: string }) {
  const { buckets, series } = props.chart;
  const top = niceMax(props.chart.max);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, buckets.length);
  const barWidth = Math.max(2, Math.min(28, slot * 0.7));
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));

  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="chart"
      role="img"
      aria-labelledby="chart-title"
      data-testid="timeline-chart"
    >
      <title id="chart-title">{props.title}</title>
      {[0, top / 2, top].map((value) => (
        <g key={value}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(value)} y2={y(value)} className="grid" />
          <text x={PAD.left - 6} y={y(value) + 4} textAnchor="end" className="axis">
            {Number.isInteger(value) ? value : ''}
          </text>
        </g>
      ))}
      {buckets.map((bucket, i) => {
        const x = PAD.left + i * slot + (slot - barWidth) / 2;
        let base = 0;
        return (
          <g key={bucket}>
            {series.map((s, k) => {
              const count = s.counts[i] ?? 0;
              if (count === 0) return null;
              const rect = (
                <rect
                  key={s.key}
                  x={x}
                  width={barWidth}
                  y={y(base + count)}
                  height={y(base) - y(base + count)}
                  fill={PALETTE[k % PALETTE.length]}
                  rx={2}
                >
                  <title>{`${tickLabel(bucket, props.hourly)} · ${s.key}: ${count}`}</title>
                </rect>
              );
              base += count;
              return rect;
            })}
            {i % labelEvery === 0 && (
              <text x={x + barWidth / 2} y={HEIGHT - 8} textAnchor="middle" className="axis">
                {tickLabel(bucket, props.hourly)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
