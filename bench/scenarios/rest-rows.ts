/** Rows from paired HTTP loads (load/paired.ts): throughput and p99 of a Parley path beside its bare baseline. */
import type { Paired } from '../load/paired.ts';
import type { LoadResult, LoadSpec } from '../load/spec.ts';
import type { Options } from '../options.ts';
import type { Row, Target } from '../table.ts';

/** A POST load of `body` on `url` with this run's connections and duration. */
export function postSpec(opts: Options, url: string, body = ''): LoadSpec {
  return { url, method: 'POST', body, connections: opts.connections, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds };
}

function warningOf(...results: LoadResult[]): string | undefined {
  const bad = results.filter((r) => r.errors || r.non2xx);
  return bad.length ? bad.map((r) => `${r.errors} errors, ${r.non2xx} non-2xx of ${r.requests}`).join('; ') : undefined;
}

/** Requests per second, Parley ÷ baseline. */
export function throughputRow(scenario: string, name: string, db: string, { parley, baseline, slices }: Paired, target: Target): Row {
  return {
    scenario, name: `${name} req/s`, db, unit: 'req/s', parley: parley.rps, baseline: baseline.rps, target,
    warning: warningOf(parley, baseline), raw: { parley, baseline, slices },
  };
}

/** The 99th percentile latency beside the baseline's, against a bound in ms. */
export function p99Row(scenario: string, name: string, db: string, { parley, baseline }: Paired, boundMs: number): Row {
  return {
    scenario, name: `${name} p99 @${parley.connections} conn`, db, unit: 'ms', parley: parley.p99, baseline: baseline.p99,
    target: { of: 'parley', op: '<=', value: boundMs }, warning: warningOf(parley, baseline), raw: { parley, baseline },
  };
}
