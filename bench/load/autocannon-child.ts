/**
 * The load generator as its own process: receives LoadSpecs over IPC, runs them with autocannon
 * (all at once when several are given, e.g. one per portal node), sends back one LoadResult each and
 * exits. It never shares a process with the server it loads.
 */
import autocannon from 'autocannon';
import { REQUEST_TIMEOUT_SECONDS, type LoadResult, type LoadSpec } from './spec.ts';

function once(spec: LoadSpec, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: spec.url,
    method: spec.method,
    body: spec.body,
    headers: spec.body !== undefined ? { 'content-type': spec.contentType ?? 'application/x-www-form-urlencoded' } : {},
    connections: spec.connections,
    duration: seconds,
    pipelining: 1,
    timeout: REQUEST_TIMEOUT_SECONDS,
  });
}

function summary(spec: LoadSpec, r: autocannon.Result): LoadResult {
  return {
    tool: 'autocannon',
    connections: spec.connections,
    seconds: r.duration,
    requests: r.requests.total,
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

process.once('message', async (specs: LoadSpec[]) => {
  if (specs.some((s) => s.warmupSeconds > 0)) await Promise.all(specs.map((s) => once(s, s.warmupSeconds)));
  const results = await Promise.all(specs.map((s) => once(s, s.seconds)));
  process.send!(results.map((r, i) => summary(specs[i], r)), () => process.exit(0));
});
