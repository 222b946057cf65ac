/**
 * Bitrix24's rate-limit counters (src/rest/rate-limits.ts) kept in Redis, so that the nodes of one
 * portal hold a client to one budget: counted by each node alone, a client spreading its requests
 * over N nodes would get N times the burst and N times the operating time.
 *
 * Each operation is one Lua script (EVALSHA, defined once with ioredis' defineCommand), so reading a
 * counter, draining or expiring it, deciding and writing it back happen with no other node's call in
 * between. Keys live under the portal's namespace (`parley:<member_id>:limits:`, beside the bus
 * channel) and carry a PEXPIRE: a bucket goes once it would have drained empty, a method's baskets
 * once the newest of them has left the ten-minute window, so idle callers leave nothing behind.
 *
 * Time is the `now` the caller passes (the portal's clock), never Redis TIME: the counters must run on
 * the clock the node's own counters use when Redis fails (FallbackCounters) and the clock
 * `operating_reset_at` is reported in, and a test that moves the portal's clock (TestClock) must move
 * these too. Nodes' clocks differ a little: a call from a node whose clock is behind neither drains a
 * bucket nor moves its time back.
 *
 * This layer may not import src/rest: the methods have LimitCounters' shape, and the server hands this
 * object to RateLimits, where the compiler checks it against that interface. A failed command (Redis
 * away: it fails at once; no answer within COMMAND_TIMEOUT_MS) rejects, and the caller counts that call
 * on the node; the outage is logged once when it begins and once when it ends (in the portal's log,
 * component "redis").
 */
import { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { nodeConnectionOptions, redisLog, redisWhere, UpWaiters } from './redis-connection.ts';

/**
 * How long a counter command may go unanswered. Redis answers these in well under a millisecond;
 * a REST call waits this long at most (once per outage) before it is counted on the node instead.
 */
const COMMAND_TIMEOUT_MS = 500;

// Bitrix24's baskets, as in src/rest/rate-limits.ts (which this layer may not import; the counters'
// contract test runs both implementations through the same calls).
const BASKET_MS = 60_000;
const WINDOW_MS = 10 * BASKET_MS;

// Numbers go back and forth as text: a Lua number returned to Redis is cut to an integer, and %.17g
// keeps every bit of a double.
const ADMIT = `
local now, burst, drain = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local saved = redis.call('HMGET', KEYS[1], 'level', 'at')
local level, at = tonumber(saved[1]) or 0, tonumber(saved[2]) or now
if now > at then
  level = math.max(0, level - (now - at) / 1000 * drain)
  at = now
end
local admitted = 0
if level + 1 <= burst then
  level = level + 1
  admitted = 1
end
redis.call('HSET', KEYS[1], 'level', string.format('%.17g', level), 'at', string.format('%.17g', at))
local ttl = 86400000
if drain > 0 then ttl = math.ceil(level / drain * 1000) + 1000 end
redis.call('PEXPIRE', KEYS[1], ttl)
return admitted
`;

// The baskets of one key: a hash of basket start (ms) -> run time in it (ms). `live` reads those
// still in the window at `now` (deleting the others when asked), `summary` answers
// {sum of their ms, when the oldest leaves (Unix seconds)} as operatingOf in src/rest/rate-limits.ts does.
const BASKETS = `
local BASKET, WINDOW = ${BASKET_MS}, ${WINDOW_MS}
local function live(now, prune)
  local all = redis.call('HGETALL', KEYS[1])
  local out = {}
  for i = 1, #all, 2 do
    local start = tonumber(all[i])
    if start + WINDOW > now then
      out[#out + 1] = { field = all[i], start = start, ms = tonumber(all[i + 1]) }
    elseif prune then
      redis.call('HDEL', KEYS[1], all[i])
    end
  end
  return out
end
local function summary(baskets, now)
  local sum, oldest = 0, nil
  for _, b in ipairs(baskets) do
    sum = sum + b.ms
    if oldest == nil or b.start < oldest then oldest = b.start end
  end
  return { string.format('%.17g', sum), string.format('%.17g', math.floor(((oldest or now) + WINDOW) / 1000)) }
end
`;

const OPERATING = `${BASKETS}
local now = tonumber(ARGV[1])
return summary(live(now, false), now)
`;

const SPEND = `${BASKETS}
local now, ms = tonumber(ARGV[1]), tonumber(ARGV[2])
local baskets = live(now, true)
local newest = nil
for _, b in ipairs(baskets) do
  if newest == nil or b.start > newest.start then newest = b end
end
if newest ~= nil and now < newest.start + BASKET then
  newest.ms = newest.ms + ms
  redis.call('HSET', KEYS[1], newest.field, string.format('%.17g', newest.ms))
else
  newest = { field = string.format('%.17g', now), start = now, ms = ms }
  baskets[#baskets + 1] = newest
  redis.call('HSET', KEYS[1], newest.field, string.format('%.17g', ms))
end
redis.call('PEXPIRE', KEYS[1], math.ceil(newest.start + WINDOW - now))
return summary(baskets, now)
`;

/** The scripts as ioredis defines them on the connection (one key each: the counter's). */
interface Scripts {
  limitsAdmit(key: string, now: number, burst: number, drainPerSecond: number): Promise<number>;
  limitsOperating(key: string, now: number): Promise<[string, string]>;
  limitsSpend(key: string, now: number, ms: number): Promise<[string, string]>;
}

/** The rate-limit counters of a portal's nodes, in Redis. */
export class RedisLimitCounters {
  private readonly redis: Redis;
  private readonly scripts: Scripts;
  private readonly where: string;
  private state: 'new' | 'up' | 'down' = 'new';
  private closed = false;
  private readonly onUp = new UpWaiters();
  private readonly log: Logger;

  /** `prefix` is the portal's namespace, e.g. `parley:<member_id>:limits:`; `log` the portal's (redisLog). */
  constructor(url: string, private readonly prefix: string, log: Logger) {
    this.where = redisWhere(url);
    this.log = redisLog(log, this.where);
    this.redis = new Redis(url, nodeConnectionOptions(COMMAND_TIMEOUT_MS));
    this.redis.defineCommand('limitsAdmit', { numberOfKeys: 1, lua: ADMIT });
    this.redis.defineCommand('limitsOperating', { numberOfKeys: 1, lua: OPERATING });
    this.redis.defineCommand('limitsSpend', { numberOfKeys: 1, lua: SPEND });
    this.scripts = this.redis as unknown as Scripts;
    this.redis.on('error', (err: Error & { code?: string }) => this.down(err.code ?? err.message));
    this.redis.on('close', () => this.down('connection closed'));
    this.redis.on('ready', () => this.up());
  }

  /** Connect in the background; until Redis answers, every call is counted on the node. */
  start(): void {
    this.redis.connect().catch(() => {});
  }

  /** Resolves true once connected, or false after `ms` (start-up does not wait longer for Redis). */
  whenUp(ms: number): Promise<boolean> {
    if (this.state === 'up') return Promise.resolve(true);
    return this.onUp.wait(ms);
  }

  /** Add a request to `key`'s bucket unless it is full; answers whether the request may go. */
  async admit(key: string, now: number, burst: number, drainPerSecond: number): Promise<boolean> {
    return (await this.run(() => this.scripts.limitsAdmit(this.prefix + key, now, burst, drainPerSecond))) === 1;
  }

  /** `key`'s operating time as of `now`. */
  async operating(key: string, now: number): Promise<{ seconds: number; resetAt: number }> {
    return fromScript(await this.run(() => this.scripts.limitsOperating(this.prefix + key, now)));
  }

  /** Add `ms` of run time to `key`'s basket of `now`; answers the new operating time. */
  async spend(key: string, now: number, ms: number): Promise<{ seconds: number; resetAt: number }> {
    return fromScript(await this.run(() => this.scripts.limitsSpend(this.prefix + key, now, ms)));
  }

  /** Disconnect (no reconnecting after this). */
  async close(): Promise<void> {
    this.closed = true;
    this.redis.disconnect();
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      const answer = await command();
      // Answered after a failure that left the connection up (a server error): the outage is over.
      if (this.state === 'down') this.up();
      return answer;
    } catch (err) {
      // A connection that is not ready rejects at once; its own events report the outage. A ready
      // one that failed the command (no answer in time, a server error) is an outage of its own.
      if (this.redis.status === 'ready') {
        const message = (err as Error).message;
        this.down(message);
        // A wedged server: reconnect, so that the calls after this one fail at once instead of
        // each waiting for the timeout ('ready' again reports the end of the outage).
        if (/timed out/i.test(message)) this.redis.disconnect(true);
      }
      throw err;
    }
  }

  private up(): void {
    if (this.closed || this.state === 'up') return;
    this.state = 'up';
    this.log.info(`rate limits: counted in ${this.where} for all of the portal's nodes`);
    this.onUp.up();
  }

  private down(reason: string): void {
    if (this.closed || this.state === 'down') return;
    this.state = 'down';
    this.log.warn({ reason }, `rate limits: ${this.where} unreachable (${reason}): each node counts its own requests until it answers`);
  }
}

/** A summary as the scripts answer it: run time in ms, reset time in Unix seconds. */
function fromScript([ms, resetAt]: [string, string]): { seconds: number; resetAt: number } {
  return { seconds: Number(ms) / 1000, resetAt: Number(resetAt) };
}
