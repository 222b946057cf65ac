/**
 * Bitrix24's cloud REST limits, off by default (a self-hosted Bitrix24 has none), so a bot meets
 * here what it will meet on a cloud portal (`--rate-limit cloud`):
 * - request rate: a leaky bucket per source address — every HTTP request adds 1, `drain` leaks out
 *   each second, and a request that would lift the level past `burst` is refused with 503
 *   QUERY_LIMIT_EXCEEDED (a batch is one request);
 * - operating time: per method and per application or webhook, the methods' own run time summed in
 *   ten one-minute baskets (each lives ten minutes from its first call); while the sum is over the
 *   limit, the next call of that method is refused with 429 OPERATION_TIME_LIMIT. Each sub-call of a
 *   batch counts, the batch itself does not. `time.operating` and `time.operating_reset_at` show it.
 * The counters live in a LimitCounters: MemoryCounters for one node; with several nodes and Redis,
 * RedisLimitCounters (src/cluster/redis-limit-counters.ts) behind FallbackCounters (./fallback-counters.ts).
 */
import { restError } from '../errors.ts';

/** The limits of a Bitrix24 plan (the documented "others" and Enterprise rows; 480 s operating). */
export const PLANS = {
  cloud: { burst: 50, drainPerSecond: 2, operatingSeconds: 480 },
  enterprise: { burst: 250, drainPerSecond: 5, operatingSeconds: 480 },
} as const;

/** `--rate-limit`: which plan's limits apply, or none. */
export type RateLimitMode = 'off' | keyof typeof PLANS;

const BASKET_MS = 60_000;
const WINDOW_MS = 10 * BASKET_MS;

/** A method's operating time for one caller: the sum in seconds, and when the oldest basket goes (Unix seconds). */
export interface Operating { seconds: number; resetAt: number }

/** Where the counters are kept. */
export interface LimitCounters {
  /** Add a request to `key`'s bucket unless it is full; answers whether the request may go. */
  admit(key: string, now: number, burst: number, drainPerSecond: number): Promise<boolean>;
  /** `key`'s operating time as of `now`. */
  operating(key: string, now: number): Promise<Operating>;
  /** Add `ms` of run time to `key`'s basket of `now`; answers the new operating time. */
  spend(key: string, now: number, ms: number): Promise<Operating>;
}

/** One basket: when its first call was, and the run time it holds (ms). */
interface Basket { start: number; ms: number }

/** The operating time of the baskets still in the window at `now`. */
export function operatingOf(baskets: Basket[], now: number): Operating {
  const live = baskets.filter((b) => b.start + WINDOW_MS > now);
  const seconds = live.reduce((sum, b) => sum + b.ms, 0) / 1000;
  return { seconds, resetAt: Math.floor(((live[0]?.start ?? now) + WINDOW_MS) / 1000) };
}

// Idle entries are swept once the maps hold this many keys, so a spray of addresses cannot grow them without end.
const SWEEP_AT = 10_000;

/** The counters of one node. */
export class MemoryCounters implements LimitCounters {
  private readonly buckets = new Map<string, { level: number; at: number }>();
  private readonly baskets = new Map<string, Basket[]>();

  async admit(key: string, now: number, burst: number, drainPerSecond: number): Promise<boolean> {
    if (this.buckets.size >= SWEEP_AT) this.sweep(now, drainPerSecond);
    const b = this.buckets.get(key) ?? { level: 0, at: now };
    b.level = Math.max(0, b.level - ((now - b.at) / 1000) * drainPerSecond);
    b.at = now;
    this.buckets.set(key, b);
    // A request needs a whole free place: after a full burst the next one waits for 1/drain seconds.
    if (b.level + 1 > burst) return false;
    b.level += 1;
    return true;
  }

  async operating(key: string, now: number): Promise<Operating> {
    return operatingOf(this.baskets.get(key) ?? [], now);
  }

  async spend(key: string, now: number, ms: number): Promise<Operating> {
    if (this.baskets.size >= SWEEP_AT) this.sweep(now, 0);
    const live = (this.baskets.get(key) ?? []).filter((b) => b.start + WINDOW_MS > now);
    const last = live[live.length - 1];
    if (last && now < last.start + BASKET_MS) last.ms += ms;
    else live.push({ start: now, ms });
    this.baskets.set(key, live);
    return operatingOf(live, now);
  }

  private sweep(now: number, drainPerSecond: number) {
    for (const [k, b] of this.buckets) if (b.level - ((now - b.at) / 1000) * drainPerSecond <= 0) this.buckets.delete(k);
    for (const [k, list] of this.baskets) if (!list.some((b) => b.start + WINDOW_MS > now)) this.baskets.delete(k);
  }
}

/** Who a method's operating time is counted for: the application, or the webhook. */
export interface Spender { app: { id: number } | null; webhook: { id: number } | null }

/** The limits a portal applies; `mode` 'off' applies none and reports no operating time. */
export class RateLimits {
  constructor(readonly mode: RateLimitMode, private readonly counters: LimitCounters = new MemoryCounters()) {}

  get on(): boolean {
    return this.mode !== 'off';
  }

  /** Count one HTTP request from `address`; QUERY_LIMIT_EXCEEDED when its bucket is full. */
  async admitRequest(address: string, now: number): Promise<void> {
    if (this.mode === 'off') return;
    const plan = PLANS[this.mode];
    if (!(await this.counters.admit(`rate:${address}`, now, plan.burst, plan.drainPerSecond))) throw restError('QUERY_LIMIT_EXCEEDED');
  }

  /** Before `method` runs for `caller`: OPERATION_TIME_LIMIT while its operating time is over the limit. */
  async checkOperating(method: string, caller: Spender, now: number): Promise<void> {
    if (this.mode === 'off') return;
    const used = await this.counters.operating(spenderKey(method, caller), now);
    if (used.seconds > PLANS[this.mode].operatingSeconds) throw restError('OPERATION_TIME_LIMIT');
  }

  /** After `method` ran for `ms`: the operating time to report (none while the limits are off). */
  async spend(method: string, caller: Spender, now: number, ms: number): Promise<Operating | undefined> {
    if (this.mode === 'off') return undefined;
    return this.counters.spend(spenderKey(method, caller), now, ms);
  }
}

function spenderKey(method: string, caller: Spender): string {
  return `op:${method.toLowerCase()}:${caller.app ? `app${caller.app.id}` : `hook${caller.webhook?.id ?? 0}`}`;
}
