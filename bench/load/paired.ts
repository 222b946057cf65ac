/**
 * A Parley load and its baseline's, measured in alternating slices (baseline, Parley, baseline, …)
 * rather than one after the other: on a shared machine the load from other work comes and goes, and
 * alternating exposes both to the same conditions, so their ratio means more than either figure.
 */
import { runOne } from './generator.ts';
import type { LoadResult, LoadSpec } from './spec.ts';

/**
 * `seconds` is split into slices this long (at least one). Not shorter: a slow path (a write on a
 * loaded machine) answers in a second or more, and a slice must hold many answers per connection.
 */
export const SLICE_SECONDS = 5;

/** The two merged results and every slice. */
export interface Paired { parley: LoadResult; baseline: LoadResult; slices: { parley: LoadResult; baseline: LoadResult }[] }

/**
 * Merge slices of one load: requests and seconds add up; latency percentiles are the mean of the slices'
 * (each slice has the same length, so none weighs more), the max is the max.
 */
export function merge(parts: LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => parts.reduce((a, r) => a + f(r), 0);
  const mean = (f: (r: LoadResult) => number) => sum(f) / parts.length;
  const requests = sum((r) => r.requests);
  const seconds = sum((r) => r.seconds);
  return {
    tool: parts[0].tool, connections: parts[0].connections, seconds, requests, rps: requests / seconds,
    p50: mean((r) => r.p50), p90: mean((r) => r.p90), p99: mean((r) => r.p99), max: Math.max(...parts.map((r) => r.max)),
    errors: sum((r) => r.errors), non2xx: sum((r) => r.non2xx),
  };
}

/** Measure `parley` and `baseline` (both already warm after their first slice's warm-up) in turns. */
export async function pairedLoad(parley: LoadSpec, baseline: LoadSpec): Promise<Paired> {
  const n = Math.max(1, Math.round(parley.seconds / SLICE_SECONDS));
  const slices: Paired['slices'] = [];
  for (let i = 0; i < n; i++) {
    const warm = i === 0 ? parley.warmupSeconds : 0;
    const seconds = Math.min(SLICE_SECONDS, parley.seconds);
    const b = await runOne({ ...baseline, seconds, warmupSeconds: warm });
    const p = await runOne({ ...parley, seconds, warmupSeconds: warm });
    slices.push({ parley: p, baseline: b });
  }
  return { parley: merge(slices.map((s) => s.parley)), baseline: merge(slices.map((s) => s.baseline)), slices };
}
