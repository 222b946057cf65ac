/**
 * Assembles and starts the portal: store, seed, HTTP(S) server with /rest and /oauth, and the event
 * dispatcher. Used by `parley start` and by the tests, which start real servers on loopback.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { listenUrl, type Config } from '../config.ts';
import type { Clock } from '../clock.ts';
import { makePortal, setPublicUrl, type Portal } from '../portal.ts';
import { restError } from '../errors.ts';
import type { SeededLogin } from '../domain/users.ts';
import { openState } from '../domain/state.ts';
import { ensurePortalTls } from '../auth/tls.ts';
import { Dispatcher } from '../events/dispatcher.ts';
import { installBodyParsers } from './body.ts';
import { BODY_LIMIT } from '../wire/limits.ts';
import { registerRestRoutes } from './rest-route.ts';
import { registerOAuthRoutes } from './oauth.ts';
import { registerAvatarRoutes } from './avatars.ts';
import { registerChatAvatarRoutes } from './chat-avatars.ts';
import { registerChatAppIconRoutes } from './chat-app-icons.ts';
import { registerFileRoutes } from './files.ts';
import { registerWebRoutes } from './web.ts';
import { Hub } from '../realtime/hub.ts';
import { startRetention } from '../domain/retention.ts';
import { startLineTimers } from '../domain/lines/timers.ts';
import { refuse, registerRealtime } from './realtime.ts';
import { registerWidgetRoutes } from './widget.ts';
import { registerWidgetPages } from './widget-page.ts';
import { widgetUpgrade } from './widget-live.ts';
import { trackConnections } from './connections.ts';
import { trackHandlers } from './handlers-in-flight.ts';
import { openFileLimit, socketCap, SocketLimits } from '../realtime/limits.ts';
import { CredentialWatch } from '../realtime/credential-watch.ts';
import { revocationWatcher } from '../realtime/revocations.ts';
import { watchWrites } from '../store/write-watch.ts';
import { CallerCache, CALLER_TTL_MS } from '../auth/caller-cache.ts';
import { errorSerializer, logMethodHook, requestSerializer } from './log-redact.ts';
import { proxyTrust } from './client-address.ts';
import { tightenDataDir } from '../store/private-files.ts';
import { MemoryCounters, RateLimits } from '../rest/rate-limits.ts';
import { FallbackCounters } from '../rest/fallback-counters.ts';
import { Metrics } from '../metrics.ts';
import { startMetricsServer, type MetricsServer } from './metrics-server.ts';
import { outboxDepth } from '../events/outbox.ts';
import { flushCallLog } from '../domain/call-log.ts';
import { NodeBus } from '../cluster/node-bus.ts';
import { RedisLimitCounters } from '../cluster/redis-limit-counters.ts';
import { channelOf } from '../cluster/bus-messages.ts';
import { createLogger, type LogDestination } from '../log.ts';
import '../api/index.ts';

/** How long an HTTP connection may stay silent before it is closed. */
const IDLE_CONNECTION_MS = 120_000;
/** How long a start waits for Redis before it serves without it (it keeps reconnecting). */
const REDIS_START_WAIT_MS = 1500;
/**
 * How long a closing portal waits for the calls in flight (and their connections) before it ends
 * the connections and closes the store under what is still running.
 */
const CLOSE_GRACE_MS = 10_000;

/** A started portal. */
export interface RunningPortal {
  portal: Portal;
  url: string;
  /** PEM path of the portal CA when serving HTTPS. */
  caCertPath?: string;
  /** Logins created by this start's first-run seed ([] on later starts). */
  seeded: SeededLogin[];
  /** The port /metrics is served on, when `metricsPort` is set. */
  metricsPort?: number;
  /**
   * Stop taking requests, let the ones in flight finish (at most CLOSE_GRACE_MS), stop the
   * background work, write the call log, then close the store. Calling it again waits for the same close.
   */
  close(): Promise<void>;
}

/** What a start takes besides the configuration: things no flag or environment variable sets. */
export interface StartOptions {
  /** The portal's clock (real time by default); tests pass one they can move forward. */
  clock?: Clock;
  /** Where the portal's log lines go instead of stderr (a test reading them). */
  logTo?: LogDestination;
}

/** Start a portal for the configuration; resolves once it listens. */
export async function startPortal(config: Config, options: StartOptions = {}): Promise<RunningPortal> {
  // One log for the portal and its requests; it masks webhook codes and secret query parameters (src/http/log-redact.ts).
  const log = createLogger({ verbose: config.log, serializers: { req: requestSerializer, err: errorSerializer }, hooks: { logMethod: logMethodHook }, destination: options.logTo });
  tightenDataDir(config.dataDir, config.filesDir, log);
  const { store, seeded } = await openState(config, log);

  let tls: ReturnType<typeof ensurePortalTls> | undefined;
  if (config.https) {
    const hosts = [config.host];
    if (config.publicUrl) hosts.push(new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, ''));
    tls = ensurePortalTls(config.dataDir, hosts.filter((h) => h !== '0.0.0.0' && h !== '::'));
  }
  const app = Fastify({
    // Request lines are at info: written with --log, below the level otherwise (src/log.ts).
    loggerInstance: log,
    // A client's own x-request-id is kept when it is a plain token; otherwise the portal makes one.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && /^[\w.:-]{1,64}$/.test(sent) ? sent : crypto.randomUUID();
    },
    ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}),
    bodyLimit: BODY_LIMIT,
    // --trust-proxy: req.ip (the request log's remoteAddress) is the client address the limits count
    // by, from the one trust rule (src/http/client-address.ts); without it X-Forwarded-For is ignored.
    trustProxy: proxyTrust(config) ?? false,
    // A connection idle this long is closed, so sockets that never send a byte cannot pile up and
    // take the file handles REST needs (upgraded /realtime sockets turn it off and are pinged).
    connectionTimeout: IDLE_CONNECTION_MS,
    // Bitrix24 clients call /rest/method/ and /rest/method alike.
    routerOptions: { ignoreTrailingSlash: true },
    // A URL the router cannot decode never reaches a route: answer it in Bitrix24's error shape.
    frameworkErrors: (err: Error, _req: unknown, reply: { code(n: number): { header(k: string, v: string): { send(b: string): void } } }) => {
      const error = restError('INVALID_REQUEST', err.message);
      reply.code(error.status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(error.body()));
    },
  } as never) as unknown as ReturnType<typeof Fastify>;
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('x-request-id', req.id);
  });
  installBodyParsers(app, { uploadDir: path.join(config.filesDir, 'tmp', 'parts') });
  const connections = trackConnections(app.server, Boolean(tls));

  let dispatcher: Dispatcher | undefined;
  const metrics = new Metrics();
  const hub = new Hub(store.db, config.realtimePollMs, metrics, log.child({ component: 'realtime' }));
  // Whatever this process revokes (sign-out, uninstall, a deleted webhook…) gets open sockets re-checked at once.
  let watch: CredentialWatch | undefined;
  // With --redis, what this node commits, revokes and signals is also published to the other nodes.
  let bus: NodeBus | undefined;
  // Callers of REST calls are kept between calls, true to this process's writes (src/auth/caller-cache.ts).
  const callers = new CallerCache({ ttlMs: store.dataVersion ? CALLER_TTL_MS.sqlite : CALLER_TTL_MS.postgres, dataVersion: store.dataVersion });
  const watched = { ...store, db: store.db.withPlugin(watchWrites([revocationWatcher(() => {
    watch?.recheckSoon();
    bus?.revoke();
  }), callers.watcher()])) };
  const wake = () => {
    dispatcher?.wake();
    hub.kick();
    bus?.wake();
  };
  const portal = await makePortal(config, watched, { wake, clock: options.clock, metrics, log });
  metrics.setSources({ outbox: () => outboxDepth(store.db), sockets: () => hub.socketCount() });
  watch = new CredentialWatch(portal, { recheckMs: config.realtimeRecheckMs, pingMs: config.realtimePingMs });
  portal.signal = (userIds, push) => {
    hub.signal(userIds, push);
    bus?.signal(userIds, push);
  };
  if (config.redis) {
    bus = new NodeBus(config.redis, channelOf(config.redisChannel, portal.memberId), {
      wake: () => {
        dispatcher?.wake();
        hub.kick();
      },
      revoke: () => {
        callers.invalidate();
        watch?.recheckSoon();
      },
      signal: (userIds, push) => hub.signal(userIds, push),
    }, log);
    bus.start();
  }
  // With --redis the cloud limits and the live chat's limits are counted for the whole portal, not per
  // node (a client spreading its calls over the nodes would get a budget per node); on this node's
  // own while Redis fails.
  let sharedCounters: RedisLimitCounters | undefined;
  if (config.redis) {
    sharedCounters = new RedisLimitCounters(config.redis, `${channelOf(config.redisChannel, portal.memberId)}:limits:`, log);
    sharedCounters.start();
  }
  // Before the routes: each of their handlers is followed until it has finished (Portal.inFlight).
  trackHandlers(app, portal.inFlight);
  const limitCounters = () => (sharedCounters ? new FallbackCounters(sharedCounters) : new MemoryCounters());
  registerRestRoutes(app, portal, new RateLimits(config.rateLimit, limitCounters()), callers);
  registerOAuthRoutes(app, portal);
  registerAvatarRoutes(app, portal);
  registerChatAvatarRoutes(app, portal);
  registerChatAppIconRoutes(app, portal);
  registerFileRoutes(app, portal);
  registerWidgetRoutes(app, portal, limitCounters());
  registerWidgetPages(app, portal);
  app.get('/health', async () => ({ status: 'ok' }));
  registerWebRoutes(app, portal);

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl?.replace(/\/+$/, '') ?? listenUrl(config, port);

  // Only now is the port known (0 picks one): that fixes the URL every token block names.
  await setPublicUrl(portal, url);
  dispatcher = new Dispatcher(portal);
  dispatcher.start();
  await hub.start();
  const stopRetention = startRetention(portal);
  const stopLineTimers = startLineTimers(portal);
  let metricsServer: MetricsServer | undefined;
  if (config.metricsPort !== undefined) metricsServer = await startMetricsServer(metrics, config.metricsHost, config.metricsPort, log);
  // The socket cap leaves room under the descriptor limit, so REST keeps answering when sockets run out.
  const cap = socketCap(config.realtimeMaxSockets, openFileLimit());
  if (cap.note) log.warn({ component: 'realtime' }, cap.note);
  const limits = new SocketLimits({ perCredential: config.realtimePerCredential, perAddress: config.realtimePerAddress, total: cap.total });
  watch.start();
  const widget = widgetUpgrade(portal, hub, limits, refuse);
  const wss = registerRealtime(app.server, portal, { hub, limits, watch, widget: widget.handle });
  await Promise.all([bus?.whenUp(REDIS_START_WAIT_MS), sharedCounters?.whenUp(REDIS_START_WAIT_MS)]);

  let closing: Promise<void> | undefined;
  const shutdown = async () => {
    const until = Date.now() + CLOSE_GRACE_MS;
    // No new work: the listener closes; connections with no request in flight end now, the others
    // once their requests are answered (src/http/connections.ts); a request that still arrives on
    // one of them is answered 503. No new realtime sockets either.
    const httpClosed = app.close();
    connections.endIdle();
    wss.close();
    widget.wss.close();
    for (const ws of widget.wss.clients) ws.close(1001, 'portal shutting down');
    // The background work stops, each waiting for what it has begun: retention's pass, a line timers' tick, a scrape,
    // a credential re-check, the push-log tail (its sockets close with 1001), the deliveries in
    // flight (events committed from now on wait in the outbox for the next start or another node).
    await Promise.all([stopRetention(), stopLineTimers(), metricsServer?.close(), watch?.stop(), hub.stop(), dispatcher?.stop()]);
    // The calls in flight finish, also those whose clients went away (their connections are gone,
    // their handlers are not). Past the grace, connections still open are ended.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, until - Date.now()))));
    if ((await Promise.race([httpClosed, grace])) === 'late') app.server.closeAllConnections();
    clearTimeout(timer);
    await httpClosed;
    const left = await portal.inFlight.settled(Math.max(0, until - Date.now()));
    if (left) log.warn({ component: 'server', running: left }, `closing the store under ${left} call(s) still running after ${CLOSE_GRACE_MS} ms`);
    // The calls answered last are still queued for the log (src/domain/call-log.ts).
    await flushCallLog(portal.db);
    await bus?.close();
    await sharedCounters?.close();
    await store.close();
  };

  return {
    portal, url, caCertPath: tls?.caCertPath, seeded, metricsPort: metricsServer?.port,
    close: () => (closing ??= shutdown()),
  };
}
