/**
 * The running portal as every layer sees it: configuration, the store, and where clients reach it.
 * One object is built at start (or by a CLI command) and passed down; there are no module globals.
 */
import crypto from 'node:crypto';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './clock.ts';
import { Metrics } from './metrics.ts';
import { silentLogger, type Logger } from './log.ts';
import type { Store, Db } from './store/db.ts';
import { getSetting, setSetting, settingOnce } from './store/settings.ts';

/** Everything a request handler, a domain action or the dispatcher needs. */
export interface Portal {
  config: Config;
  store: Store;
  db: Store['db'];
  /** Public base URL without trailing slash, e.g. https://127.0.0.1:8443. */
  publicUrl: string;
  /** `host[:port]` of the public URL: Bitrix24's `auth[domain]`, from which bots build REST URLs. */
  domain: string;
  /** Stable portal id (Bitrix24's member_id). */
  memberId: string;
  /** What time it is for every expiry decision (tokens, codes, sessions, signed URLs); tests move it. */
  clock: Clock;
  /** This portal's metrics (src/metrics.ts). */
  metrics: Metrics;
  /** This portal's log (src/log.ts); a REST call logs through its request's child instead. */
  log: Logger;
  /** Work begun for clients that the store must outlast (see InFlight). */
  inFlight: InFlight;
  /** Tell the event dispatcher and the realtime hub that new outbox or push rows were committed. */
  wake(): void;
  /** Send an ephemeral realtime signal (typing) to users' open clients; a no-op outside a running portal. */
  signal(userIds: Iterable<number>, push: { type: string; [key: string]: unknown }): void;
}

/**
 * Work begun for clients that must end before the portal's store closes, whether or not its client
 * still waits for it: a REST call whose client went away goes on with its queries, a link preview
 * is fetched after the answer. A closing portal stops taking new work, then waits here.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** Follow `work` until it settles; answers `work` itself. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => void this.running.delete(work);
    work.then(done, done);
    return work;
  }

  /**
   * Resolves once all work has settled — work begun meanwhile too — or once `ms` have passed;
   * answers how much was still running then.
   */
  async settled(ms: number): Promise<number> {
    const until = Date.now() + ms;
    let timer: NodeJS.Timeout | undefined;
    try {
      while (this.running.size && Date.now() < until) {
        const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, until - Date.now())));
        await Promise.race([Promise.allSettled([...this.running]), late]);
        clearTimeout(timer);
      }
    } finally {
      clearTimeout(timer);
    }
    return this.running.size;
  }
}

/** The portal's stable identity and public address, read from (or first written to) the store. */
export async function portalIdentity(db: Db, publicUrl?: string): Promise<{ memberId: string; publicUrl: string }> {
  // Nodes starting together on a fresh database must agree on one id (it names their Redis channel too).
  const memberId = await settingOnce(db, 'member_id', () => crypto.randomBytes(16).toString('hex'));
  if (publicUrl) await setSetting(db, 'public_url', publicUrl);
  const url = publicUrl ?? (await getSetting(db, 'public_url')) ?? 'http://127.0.0.1:8080';
  return { memberId, publicUrl: url.replace(/\/+$/, '') };
}

/** What a portal is assembled with besides its configuration and store; each has a default. */
export interface PortalParts {
  /** The public URL, when known before the listener binds. */
  publicUrl?: string;
  wake?: () => void;
  clock?: Clock;
  metrics?: Metrics;
  log?: Logger;
}

/** Assemble a Portal around an open store. */
export async function makePortal(config: Config, store: Store, parts: PortalParts = {}): Promise<Portal> {
  const id = await portalIdentity(store.db, parts.publicUrl ?? config.publicUrl);
  return {
    config, store, db: store.db, publicUrl: id.publicUrl, domain: new URL(id.publicUrl).host, memberId: id.memberId,
    clock: parts.clock ?? systemClock, metrics: parts.metrics ?? new Metrics(), log: parts.log ?? silentLogger, inFlight: new InFlight(),
    wake: parts.wake ?? (() => {}), signal: () => {},
  };
}

/** Fix the portal's public URL once the listener is bound, and remember it for CLI commands. */
export async function setPublicUrl(portal: Portal, url: string): Promise<void> {
  const clean = url.replace(/\/+$/, '');
  await setSetting(portal.db, 'public_url', clean);
  portal.publicUrl = clean;
  portal.domain = new URL(clean).host;
}
