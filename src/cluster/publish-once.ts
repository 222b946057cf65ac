/**
 * One-shot publishing for short-lived processes (the `parley` CLI): after a command has committed,
 * tell the running nodes at once (an app's ONAPPINSTALL goes out now, a deleted webhook's sockets
 * close now) instead of at their next poll. Best effort and quick: one connection attempt, a short
 * timeout, and a failure is only reported, since the nodes' polls bring the change anyway.
 */
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { encodeMessage, type BusMessage } from './bus-messages.ts';

const TIMEOUT_MS = 2000;

/** Publish `kinds` on `channel`; answers an error text when Redis could not be reached, else undefined. */
export async function publishOnce(url: string, channel: string, kinds: ('wake' | 'revoke')[]): Promise<string | undefined> {
  if (!kinds.length) return undefined;
  const from = `cli-${crypto.randomBytes(4).toString('hex')}`;
  const redis = new Redis(url, {
    lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: TIMEOUT_MS,
    retryStrategy: () => null,
  });
  let failure: string | undefined;
  redis.on('error', (err: Error & { code?: string }) => (failure ??= err.code ?? err.message));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS);
  });
  try {
    await Promise.race([(async () => {
      await redis.connect();
      for (const kind of kinds) await redis.publish(channel, encodeMessage({ kind, from } as BusMessage));
    })(), late]);
    return undefined;
  } catch (err) {
    return failure ?? (err as Error).message;
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
