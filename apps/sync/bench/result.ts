/** One measured figure of a benchmark run, with the target the issue sets and how it was produced. */
export interface BenchResult {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  /** Human form of the target, e.g. "≥ 10000" or "< 5000". */
  target: string;
  pass: boolean;
  /** Extra figures (percentiles, breakdown) and settings. */
  details: Record<string, unknown>;
}

export function atLeast(value: number, min: number) {
  return { target: `≥ ${min}`, pass: value >= min };
}

export function below(value: number, max: number) {
  return { target: `< ${max}`, pass: value < max };
}
