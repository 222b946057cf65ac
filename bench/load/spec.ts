/** What a load run is asked to do and what it measured: shared by the generator and its child. */

/** One closed-loop HTTP load: `connections` keep one request each in flight for `seconds`. */
export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  /** Sent with every request (form-encoded unless `contentType` says otherwise). */
  body?: string;
  contentType?: string;
  connections: number;
  seconds: number;
  /** An unmeasured run first, so JIT and caches are warm in both the server and the generator. */
  warmupSeconds: number;
}

/**
 * How long one request may take before the generator gives it up. Far above any figure worth having:
 * wrk's default of 2 s silently dropped the slowest answers of a loaded portal from its percentiles.
 */
export const REQUEST_TIMEOUT_SECONDS = 30;

/** What one load run measured (latencies in ms). */
export interface LoadResult {
  tool: 'autocannon' | 'wrk';
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Connection errors and time-outs. */
  errors: number;
  /** Answers outside 2xx: a run with any is not a measurement of the intended path. */
  non2xx: number;
}
