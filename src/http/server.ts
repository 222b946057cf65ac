/**
 * Assembles and starts the portal: store, seed, HTTP(S) server with /rest and /oauth, and the event
 * dispatcher. Used by `parley start` and by the tests, which start real servers on loopback.
 */
import path from 'node:path';
import Fastify from 'fastify';
import { listenUrl, type Config } from '../config.ts';
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
import { registerFileRoutes } from './files.ts';
import { registerWebRoutes } from './web.ts';
import { Hub } from '../realtime/hub.ts';
import { registerRealtime } from './realtime.ts';
import { openFileLimit, socketCap, SocketLimits } from '../realtime/limits.ts';
import { CredentialWatch } from '../realtime/credential-watch.ts';
import { revocationHook } from '../realtime/revocations.ts';
import { errorSerializer, logMethodHook, requestSerializer } from './log-redact.ts';
import { tightenDataDir } from '../store/private-files.ts';
import '../api/index.ts';

/** How long an HTTP connection may stay silent before it is closed. */
const IDLE_CONNECTION_MS = 120_000;

/** A started portal. */
export interface RunningPortal {
  portal: Portal;
  url: string;
  /** PEM path of the portal CA when serving HTTPS. */
  caCertPath?: string;
  /** Logins created by this start's first-run seed ([] on later starts). */
  seeded: SeededLogin[];
  close(): Promise<void>;
}

/** Start a portal for the configuration; resolves once it listens. */
export async function startPortal(config: Config): Promise<RunningPortal> {
  tightenDataDir(config.dataDir, config.filesDir);
  const { store, seeded } = await openState(config);

  let tls: ReturnType<typeof ensurePortalTls> | undefined;
  if (config.https) {
    const hosts = [config.host];
    if (config.publicUrl) hosts.push(new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, ''));
    tls = ensurePortalTls(config.dataDir, hosts.filter((h) => h !== '0.0.0.0' && h !== '::'));
  }
  const app = Fastify({
    // The request log masks webhook codes and secret query parameters (src/http/log-redact.ts).
    logger: config.log ? { level: 'info', serializers: { req: requestSerializer, err: errorSerializer }, hooks: { logMethod: logMethodHook } } : false,
    ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}),
    bodyLimit: BODY_LIMIT,
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
  installBodyParsers(app, { uploadDir: path.join(config.filesDir, 'tmp', 'parts') });

  let dispatcher: Dispatcher | undefined;
  const hub = new Hub(store.db, config.realtimePollMs);
  // Whatever this process revokes (sign-out, uninstall, a deleted webhook…) gets open sockets re-checked at once.
  let watch: CredentialWatch | undefined;
  const watched = { ...store, db: store.db.withPlugin(revocationHook(() => watch?.recheckSoon())) };
  const portal = await makePortal(config, watched, undefined, () => {
    dispatcher?.wake();
    hub.kick();
  });
  watch = new CredentialWatch(portal, { recheckMs: config.realtimeRecheckMs, pingMs: config.realtimePingMs });
  portal.signal = (userIds, push) => hub.signal(userIds, push);
  registerRestRoutes(app, portal);
  registerOAuthRoutes(app, portal);
  registerAvatarRoutes(app, portal);
  registerChatAvatarRoutes(app, portal);
  registerFileRoutes(app, portal);
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
  // The socket cap leaves room under the descriptor limit, so REST keeps answering when sockets run out.
  const cap = socketCap(config.realtimeMaxSockets, openFileLimit());
  if (cap.note) console.warn(`[realtime] ${cap.note}`);
  const limits = new SocketLimits({ perCredential: config.realtimePerCredential, perAddress: config.realtimePerAddress, total: cap.total });
  watch.start();
  const wss = registerRealtime(app.server, portal, { hub, limits, watch });

  return {
    portal, url, caCertPath: tls?.caCertPath, seeded,
    async close() {
      await watch?.stop();
      await hub.stop();
      wss.close();
      await app.close();
      await dispatcher?.stop();
      await store.close();
    },
  };
}
