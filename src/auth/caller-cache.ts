/**
 * Callers of recent REST calls, kept in memory so a call does not look its credential up again:
 * the webhook or token, its app and its user were two to three queries on every call, the largest
 * part of a trivial method's cost (issue 10). Only successful look-ups are kept.
 *
 * An entry must never outlive what it was built from. It is dropped:
 * - at once, when this process changes a row of tokens, webhooks, apps or users (the write watcher
 *   on the portal's database handle, src/store/write-watch.ts) — a sign-out, an uninstall, a
 *   deactivated user, a renamed one;
 * - at once, when another node says over Redis that a credential may have been revoked;
 * - on SQLite, at the first call of the next event-loop turn after any other process (the `parley`
 *   CLI) committed to the database: SQLite's `data_version` says so exactly and costs no I/O;
 * - otherwise after `ttlMs` (PostgreSQL nodes without Redis, or changes other nodes do not announce),
 *   which bounds how long another process's change can go unseen.
 * A token's own expiry is checked on every call against the portal clock, cached or not.
 */
import type { Db } from '../store/db.ts';
import type { WriteWatcher } from '../store/write-watch.ts';
import { restError } from '../errors.ts';
import { resolveCaller, type Caller, type Credentials } from './credentials.ts';

/** The tables a caller is built from: a change to any of their rows may change a cached caller. */
const CALLER_TABLES = new Map<string, string[]>([
  ['tokens', ['*']],
  ['webhooks', ['*']],
  ['apps', ['*']],
  ['users', ['*']],
]);
/**
 * The once-a-minute activity stamp (src/domain/presence.ts) is written on the cached user object
 * itself, so it does not make the entry stale; counting it would empty the cache every minute per user.
 */
const IGNORED = new Set(['last_activity_at']);
/**
 * How long an entry is trusted. SQLite sees every other process's commit (data_version), so its bound
 * only refreshes entries now and then; PostgreSQL has no such signal, and its bound is how long a
 * change made elsewhere (the CLI, a node without Redis) can go unseen by this node.
 */
export const CALLER_TTL_MS = { sqlite: 60_000, postgres: 1_000 } as const;
/** Entries kept at most: a spray of distinct valid credentials cannot grow the map without end. */
const MAX_ENTRIES = 10_000;

interface Entry { caller: Caller; expiresAt: number; storedAt: number }

/** What a cache needs to know about its store and how long an unannounced change may go unseen. */
export interface CallerCacheOptions {
  /** How long an entry is trusted (ms); 0 keeps nothing. */
  ttlMs: number;
  /** SQLite's data_version: changes when another connection commits (src/store/db.ts). */
  dataVersion?: () => number;
}

/** The portal's cache of callers; see the file comment for when entries go. */
export class CallerCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation, so a look-up that raced one does not store what it read before it. */
  private generation = 0;
  private seenVersion: number | undefined;
  private versionLooked = false;

  constructor(private readonly options: CallerCacheOptions) {
    this.seenVersion = options.dataVersion?.();
  }

  /** Forget every entry. */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  /** The write watcher that keeps this cache true to this process's own writes. */
  watcher(): WriteWatcher {
    return { tables: CALLER_TABLES, ignored: IGNORED, onWrite: () => this.invalidate() };
  }

  /** authenticate() through the cache: the same caller, the same errors. */
  async authenticate(db: Db, creds: Credentials, now: number): Promise<Caller> {
    if (this.options.ttlMs <= 0) return (await resolveCaller(db, creds, now)).caller;
    this.noticeOtherProcesses();
    const key = keyOf(creds);
    const hit = key === undefined ? undefined : this.entries.get(key);
    if (hit && performance.now() - hit.storedAt < this.options.ttlMs) {
      if (hit.expiresAt <= now) throw restError('expired_token');
      return hit.caller;
    }
    const generation = this.generation;
    const { caller, expiresAt } = await resolveCaller(db, creds, now);
    if (key !== undefined && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { caller, expiresAt, storedAt: performance.now() });
    }
    return caller;
  }

  private noticeOtherProcesses(): void {
    // Once per turn of the event loop: the calls of one turn arrived together, and asking SQLite
    // for each of them was a few percent of a busy portal's CPU.
    if (!this.options.dataVersion || this.versionLooked) return;
    this.versionLooked = true;
    setImmediate(() => (this.versionLooked = false));
    const version = this.options.dataVersion();
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.invalidate();
    }
  }
}

/** The credential itself as the key (memory only; the store keeps hashes). */
function keyOf(creds: Credentials): string | undefined {
  if (creds.webhook) return `w ${creds.webhook.userId} ${creds.webhook.code}`;
  return creds.token ? `t ${creds.token}` : undefined;
}
