/** Percentiles of a list of latencies (ms). */

/** Summary of latencies: count and the usual percentiles. */
export interface Latencies { count: number; p50: number; p90: number; p99: number; max: number; mean: number }

/** Summarise `values` (NaN figures for an empty list). */
export function summarize(values: number[]): Latencies {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => (v.length ? v[Math.min(v.length - 1, Math.ceil(v.length * q) - 1)] : NaN);
  return { count: v.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: v.length ? v[v.length - 1] : NaN, mean: v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN };
}
