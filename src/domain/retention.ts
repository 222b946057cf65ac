/**
 * Retention: what only records the past — finished events, the REST call log, the realtime push log,
 * where commands were called, offline events, im.v2 user events, v2 bots' unfetched events kept too long and fetched ones
 * shown long enough, the uses of one-time file links that expired — is deleted once older than its configured age (config.keep*Hours),
 * so a busy portal's database does not grow without end. Every node may run it: deletes by age
 * are idempotent, so several nodes on one database need no coordination.
 */
import type { Portal } from '../portal.ts';
import type { Db } from '../store/db.ts';
import type { Config } from '../config.ts';
import { pruneFinished } from '../events/outbox.ts';
import { pruneOffline } from '../events/offline-queue.ts';
import { pruneBotEvents, pruneFetchedEvents, pruneUserEvents } from '../events/bot-v2-log.ts';
import { prunePushes } from '../realtime/push-log.ts';
import { pruneCalls } from './call-log.ts';
import { pruneCommandCalls } from './commands.ts';
import { pruneLinkUses } from './file-links-once.ts';

const HOUR_MS = 3_600_000;
/** How often a running portal prunes. */
export const PRUNE_EVERY_MS = 10 * 60_000;

/** Rows deleted per kind by one pass. */
export interface Pruned {
  events: number; calls: number; pushes: number; commandCalls: number; offline: number; userEvents: number; botEvents: number; fetchedEvents: number;
  /** Uses of one-time file links whose links have expired anyway (no setting: they are useless after). */
  linkUses: number;
}

/** Delete what is older than its keep window, as of `now` (ms). */
export async function pruneExpired(db: Db, config: Config, now: number): Promise<Pruned> {
  const before = (hours: number) => now - hours * HOUR_MS;
  return {
    events: await pruneFinished(db, before(config.keepEventsHours)),
    calls: await pruneCalls(db, before(config.keepCallsHours)),
    pushes: await prunePushes(db, before(config.keepPushesHours)),
    commandCalls: await pruneCommandCalls(db, before(config.keepCommandCallsHours)),
    offline: await pruneOffline(db, before(config.keepOfflineEventsHours)),
    userEvents: await pruneUserEvents(db, before(config.keepUserEventsHours)),
    botEvents: await pruneBotEvents(db, before(config.keepBotEventsHours)),
    fetchedEvents: await pruneFetchedEvents(db, before(config.keepFetchedEventsHours)),
    linkUses: await pruneLinkUses(db, now),
  };
}

/**
 * Prune now and every PRUNE_EVERY_MS while the portal runs; answers the function that stops it,
 * which resolves once a pass in progress has finished (the store must outlast it).
 */
export function startRetention(portal: Portal): () => Promise<void> {
  let running: Promise<void> | undefined;
  const pass = () => {
    // A pass still running (a huge backlog on a slow disk) is not doubled.
    running ??= pruneExpired(portal.db, portal.config, portal.clock.now())
      .then(() => {}, (err) => portal.log.error({ err, component: 'retention' }, 'pruning failed'))
      .finally(() => (running = undefined));
  };
  pass();
  const timer = setInterval(pass, PRUNE_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
