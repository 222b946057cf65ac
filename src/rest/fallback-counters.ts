/**
 * Rate-limit counters kept in a store the portal's nodes share (Redis, src/cluster/), backed by the
 * node's own: when the shared store fails a call (it is down, or did not answer in time), that call
 * is counted on the node instead. During an outage a client meets the limits per node (with N nodes,
 * N times the budget, counted from zero), which is a degraded limit but never an error: a failing
 * Redis must not turn calls into 500s. The shared store reports its own outages.
 */
import { MemoryCounters, type LimitCounters, type Operating } from './rate-limits.ts';

/** Shared counters, and this node's when they fail. */
export class FallbackCounters implements LimitCounters {
  constructor(private readonly shared: LimitCounters, private readonly local: LimitCounters = new MemoryCounters()) {}

  admit(key: string, now: number, burst: number, drainPerSecond: number): Promise<boolean> {
    return this.shared.admit(key, now, burst, drainPerSecond).catch(() => this.local.admit(key, now, burst, drainPerSecond));
  }

  operating(key: string, now: number): Promise<Operating> {
    return this.shared.operating(key, now).catch(() => this.local.operating(key, now));
  }

  spend(key: string, now: number, ms: number): Promise<Operating> {
    return this.shared.spend(key, now, ms).catch(() => this.local.spend(key, now, ms));
  }
}
