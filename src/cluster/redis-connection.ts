/**
 * How a node connects to Redis, for every connection it opens (the bus's pair, the shared rate-limit
 * counters), and how it logs their state. Redis is optional at every moment, so nothing may wait for
 * it or pile up behind it.
 */
import type { RedisOptions } from 'ioredis';
import type { Logger } from '../log.ts';

/** ioredis options for a node's connection whose commands fail after `commandTimeout` ms without an answer. */
export function nodeConnectionOptions(commandTimeout: number): RedisOptions {
  return {
    // Connected in the background by the owner's start(): a node starts whether or not Redis answers.
    lazyConnect: true,
    // Never queue commands for later: while Redis is away a command fails at once and its caller
    // does without it (a skipped publish, a call counted on the node).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    // A Redis that stopped answering (wedged, or gone without a reset) must not collect commands
    // waiting for replies: each fails after this long.
    commandTimeout,
    // Reconnect for ever, backing off to at most 2 s between attempts.
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
  };
}

/** `host:port` of a Redis URL: what the notices name instead of the URL, which may carry a password. */
export function redisWhere(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 6379}`;
}

/**
 * The log of a connection's owner: the portal's, its lines carrying `component: "redis"` and the
 * server's `host:port`. Written at info whatever the portal's level (`--log`), so that an operator who
 * saw an outage begin (a warning) also sees it end; a silent log stays silent.
 */
export function redisLog(log: Logger, where: string): Logger {
  const level = log.level === 'silent' || log.isLevelEnabled('info') ? log.level : 'info';
  return log.child({ component: 'redis', redis: where }, { level });
}

/**
 * Who waits for a connection to come up, for start-up's bounded wait: `wait(ms)` resolves true once
 * `up()` is called, or false after `ms`.
 */
export class UpWaiters {
  private readonly waiting: (() => void)[] = [];

  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.waiting.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  up(): void {
    for (const fn of this.waiting.splice(0)) fn();
  }
}
