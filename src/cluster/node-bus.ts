/**
 * The Redis pub/sub link between the nodes of one portal (several `parley start` on one PostgreSQL).
 * After a commit a node publishes a `wake` (and typing `signal`s, and `revoke` when a credential may
 * have gone); every other node kicks its realtime hub and its dispatcher at once instead of at their
 * next poll, and sends the signals to its own sockets. The database stays the truth: a lost message
 * costs only latency, since every node still polls the push log and the outbox.
 *
 * Redis is optional at every moment. Nothing waits for it: publishing while it is away is skipped,
 * a node starts without it, both connections reconnect for ever (with backoff), and an outage is
 * logged once when it begins and once when it ends (in the portal's log, component "redis"). A
 * connection that stopped answering (a peer gone without a reset, a wedged server) is found by a
 * periodic PING and reconnected.
 */
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { nodeConnectionOptions, redisLog, redisWhere, UpWaiters } from './redis-connection.ts';
import type { Logger } from '../log.ts';
import { decodeMessage, encodeMessage, type BusMessage, type SignalPush } from './bus-messages.ts';

/** What a node does with what the others publish. */
export interface BusListener {
  /** Rows were committed elsewhere (push log, outbox), or messages may have been missed: read them now. */
  wake(): void;
  /** A credential may have been revoked elsewhere: re-check open sockets. */
  revoke(): void;
  /** An ephemeral push for these users' sockets on this node. */
  signal(userIds: number[], push: SignalPush): void;
}

/** How often both connections are pinged, and how long a PING (any command) may take before it fails. */
const HEALTH_MS = 10_000;
const PING_TIMEOUT_MS = 3000;

/** The connection pair of one node (Redis needs a connection of its own for SUBSCRIBE). */
export class NodeBus {
  /** This process's id in messages: a node skips what it published itself (it acted on it locally). */
  readonly nodeId = crypto.randomBytes(8).toString('hex');
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly where: string;
  private subscribed = false;
  private state: 'new' | 'up' | 'down' = 'new';
  private wakeQueued = false;
  private revokeQueued = false;
  private closed = false;
  private health: NodeJS.Timeout | undefined;
  private readonly onUp = new UpWaiters();
  private readonly log: Logger;

  /** `log`: the portal's log, where the link's state changes are written (redisLog). */
  constructor(url: string, private readonly channel: string, private readonly listener: BusListener, log: Logger) {
    this.where = redisWhere(url);
    this.log = redisLog(log, this.where);
    // Resubscribing is ours to do (subscribe() on each 'ready'), so that the node knows when it is up.
    const options = { ...nodeConnectionOptions(PING_TIMEOUT_MS), autoResubscribe: false };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, options);
    for (const conn of [this.pub, this.sub]) {
      conn.on('error', (err: Error & { code?: string }) => this.down(err.code ?? err.message));
      conn.on('close', () => {
        if (conn === this.sub) this.subscribed = false;
        this.down('connection closed');
      });
    }
    this.pub.on('ready', () => this.maybeUp());
    this.sub.on('ready', () => void this.subscribe());
    this.sub.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
  }

  /** Connect in the background; the node runs whether or not Redis answers. */
  start(): void {
    this.pub.connect().catch(() => {});
    this.sub.connect().catch(() => {});
    this.health = setInterval(() => this.checkConnections(), HEALTH_MS);
    this.health.unref();
  }

  /** Resolves true once subscribed, or false after `ms` (start-up does not wait longer for Redis). */
  whenUp(ms: number): Promise<boolean> {
    if (this.state === 'up') return Promise.resolve(true);
    return this.onUp.wait(ms);
  }

  /** Tell the other nodes that rows were committed; wakes within one turn of the event loop go as one. */
  wake(): void {
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.publish({ kind: 'wake', from: this.nodeId });
    });
  }

  /** Tell the other nodes that a credential may have been revoked. */
  revoke(): void {
    if (this.revokeQueued) return;
    this.revokeQueued = true;
    setImmediate(() => {
      this.revokeQueued = false;
      this.publish({ kind: 'revoke', from: this.nodeId });
    });
  }

  /** Send an ephemeral push to these users' sockets on the other nodes. */
  signal(userIds: Iterable<number>, push: SignalPush): void {
    this.publish({ kind: 'signal', from: this.nodeId, users: [...new Set(userIds)], push });
  }

  /** Disconnect both connections (no reconnecting after this). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.health);
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private publish(message: BusMessage): void {
    if (this.closed || this.pub.status !== 'ready') return;
    this.pub.publish(this.channel, encodeMessage(message)).catch(() => {});
  }

  private receive(text: string): void {
    const message = decodeMessage(text);
    if (!message || message.from === this.nodeId) return;
    try {
      if (message.kind === 'wake') this.listener.wake();
      else if (message.kind === 'revoke') this.listener.revoke();
      else this.listener.signal(message.users, message.push);
    } catch (err) {
      this.log.error({ err }, 'handling a message failed');
    }
  }

  private async subscribe(): Promise<void> {
    try {
      await this.sub.subscribe(this.channel);
      this.subscribed = true;
      this.maybeUp();
    } catch {
      // The connection went away again; its next 'ready' subscribes anew.
    }
  }

  private maybeUp(): void {
    if (this.closed || !this.subscribed || this.pub.status !== 'ready' || this.state === 'up') return;
    this.state = 'up';
    this.log.info(`connected to ${this.where}: the portal's nodes wake each other through it`);
    // What was published while this node was away is in the database: read it now.
    this.listener.wake();
    this.onUp.up();
  }

  private down(reason: string): void {
    if (this.closed || this.state === 'down') return;
    this.state = 'down';
    this.log.warn({ reason }, `${this.where} unreachable (${reason}): realtime and event delivery fall back to polling until it answers`);
  }

  // Pub/sub has no traffic of its own: a peer that vanished without a reset, or a server that stopped
  // answering, would leave a connection "ready" and silent for good. A PING that gets no answer in
  // time (commandTimeout) reconnects it, which also reports the outage.
  private checkConnections(): void {
    for (const conn of [this.pub, this.sub]) {
      if (this.closed || conn.status !== 'ready') continue;
      conn.ping().catch(() => {
        if (this.closed) return;
        this.down('no answer to PING');
        conn.disconnect(true);
      });
    }
  }
}
