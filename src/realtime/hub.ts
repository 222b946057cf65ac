/**
 * The realtime hub: open sockets by user, and a tail of push_log that sends each committed row to
 * its user's sockets. It is kicked after every commit (portal.wake) and also polls, so rows written
 * by another process (a CLI command, a second portal on the same PostgreSQL) arrive too.
 * Ephemeral signals (typing) skip the log: losing one costs nothing.
 */
import type { WebSocket } from 'ws';
import type { Db } from '../store/db.ts';
import type { Metrics } from '../metrics.ts';
import type { Logger } from '../log.ts';
import { lastPushId, pushesAfter, pushesIn, type Delivery, type Push } from './push-log.ts';

const BATCH = 500;
/** A reconnecting client is replayed at most this many pushes; beyond that it is told to resync. */
const REPLAY_MAX = 1000;
/**
 * PostgreSQL hands out ids at insert but transactions commit in any order: a row with a lower id can
 * become visible after a higher one was sent. Ids skipped by the tail are re-checked for this long.
 */
const GAP_WAIT_MS = 30_000;
const MAX_GAP = 1000;

/** Open sockets and the push tail of one portal process. */
export class Hub {
  private readonly sockets = new Map<number, Set<WebSocket>>();
  /** Listeners by user: the live chat's visitor sockets (src/http/widget-live.ts), which translate pushes themselves. */
  private readonly listeners = new Map<number, Set<(push: Push) => void>>();
  private tailId = -1;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private kickQueued = false;
  private stopped = false;
  /** Ids the tail stepped over, with when they were first missed. */
  private readonly gaps = new Map<number, number>();

  /** `pollMs`: how often the log is read unasked (rows written by other processes). */
  constructor(private readonly db: Db, private readonly pollMs = 1000, private readonly metrics?: Metrics, private readonly log?: Logger) {}

  /** Open sockets on this node. */
  socketCount(): number {
    let n = 0;
    for (const set of this.sockets.values()) n += set.size;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** Begin tailing from the newest row. */
  async start(): Promise<void> {
    this.tailId = await lastPushId(this.db);
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
  }

  /** Stop tailing and close every socket. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    for (const set of this.sockets.values()) for (const ws of set) ws.close(1001, 'portal shutting down');
    this.sockets.clear();
  }

  /**
   * Send committed rows now (called after a transaction commits). The log is read once per turn of
   * the event loop, however many commits that turn made: under load every REST write used to cost a
   * read of the push log of its own.
   */
  kick(): void {
    if (this.kickQueued) return;
    this.kickQueued = true;
    setImmediate(() => {
      this.kickQueued = false;
      this.kickNow();
    });
  }

  private kickNow(): void {
    if (this.stopped || this.tailId < 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().catch((err) => this.log?.error({ err }, 'push log tail failed')).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kickNow();
      }
    });
  }

  private async drain(): Promise<void> {
    const now = Date.now();
    if (this.gaps.size) {
      for (const [id, since] of this.gaps) if (now - since > GAP_WAIT_MS) this.gaps.delete(id);
      for (const r of await pushesIn(this.db, [...this.gaps.keys()])) {
        this.gaps.delete(r.id);
        this.deliver(r);
      }
    }
    for (;;) {
      const rows = await pushesAfter(this.db, this.tailId, BATCH);
      for (const r of rows) {
        // A jump of more than MAX_GAP ids is not a commit race (a sequence restart, a restore): not tracked.
        if (r.id - this.tailId <= MAX_GAP) for (let gap = this.tailId + 1; gap < r.id; gap++) this.gaps.set(gap, now);
        this.tailId = r.id;
        this.deliver(r);
      }
      if (rows.length < BATCH) break;
    }
  }

  /**
   * Register a socket for a user. `since` is the last push id the client saw: what came after it is
   * replayed first (or `resync` when too much was missed), so a dropped connection loses nothing.
   */
  async attach(userId: number, ws: WebSocket, since: number | undefined): Promise<void> {
    let set = this.sockets.get(userId);
    if (!set) this.sockets.set(userId, (set = new Set()));
    set.add(ws);
    ws.on('close', () => {
      set.delete(ws);
      if (!set.size && this.sockets.get(userId) === set) this.sockets.delete(userId);
    });
    // Tell the client where the log stands, so its next reconnect can resume from here.
    const head = Math.max(this.tailId, 0);
    if (since !== undefined && since >= 0 && since < head) {
      const missed = await pushesAfter(this.db, since, REPLAY_MAX + 1, userId);
      const upto = missed.filter((m) => m.id <= head);
      if (upto.length > REPLAY_MAX) ws.send(JSON.stringify({ type: 'resync', id: head }));
      else for (const m of upto) this.deliver(m, ws);
    }
    ws.send(JSON.stringify({ type: 'hello', id: head }));
  }

  /**
   * Hear a user's pushes (rows and signals, from the moment of the call; no replay) without a socket of
   * this hub's: the caller decides what of them to pass on. Answers the function that stops it.
   */
  listen(userId: number, fn: (push: Push) => void): () => void {
    let set = this.listeners.get(userId);
    if (!set) this.listeners.set(userId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (!set.size && this.listeners.get(userId) === set) this.listeners.delete(userId);
    };
  }

  /** Send an ephemeral signal (no id, not replayed) to every socket of these users. */
  signal(userIds: Iterable<number>, push: Push): void {
    for (const id of new Set(userIds)) this.send(id, push);
  }

  /** Send a row now, or when it becomes due (a delayed bot answer); to one socket or all of its user's. */
  private deliver(row: Delivery, only?: WebSocket): void {
    const go = () => {
      if (only) return write(only, JSON.stringify(row.push));
      this.send(row.user_id, row.push);
      this.metrics?.pushSeconds.observe(Math.max(0, Date.now() - row.at) / 1000);
    };
    const wait = row.at - Date.now();
    if (wait > 0) setTimeout(go, wait).unref();
    else go();
  }

  private send(userId: number, push: Push): void {
    for (const fn of this.listeners.get(userId) ?? []) fn(push);
    const set = this.sockets.get(userId);
    if (!set) return;
    const text = JSON.stringify(push);
    for (const ws of set) write(ws, text);
  }
}

/**
 * A client that stops reading would make its socket buffer every push in memory: past this much
 * unsent data it is dropped (it resumes from its last push id when it reconnects).
 */
const MAX_BUFFERED = 1024 * 1024;

function write(ws: WebSocket, text: string): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED) ws.terminate();
  else ws.send(text);
}
