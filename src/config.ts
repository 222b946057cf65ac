/**
 * One typed configuration for the portal, built from CLI flags, PARLEY_* environment variables and
 * (for where the portal is and how it is reached) a config file, in that order. Everything has a
 * default so that `parley start` alone runs a usable portal on embedded SQLite.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import proxyAddr from '@fastify/proxy-addr';
import { z } from 'zod';

const schema = z.object({
  /** Directory holding the SQLite database, the TLS material and uploaded files. */
  dataDir: z.string().min(1),
  /** `postgres://…` to use PostgreSQL instead of the embedded SQLite file. */
  db: z.string().optional(),
  /**
   * `redis://…` (or `rediss://…`): several portal nodes on one PostgreSQL tell each other of their
   * commits and typing through Redis pub/sub, so realtime and event delivery need not wait for a poll.
   */
  redis: z.string().refine(isRedisUrl, 'must be a redis:// or rediss:// URL').optional(),
  /** The Redis channel the nodes of one portal share; defaults to `parley:<member_id>` (one per database). */
  redisChannel: z.string().min(1).max(200).optional(),
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  /** Serve TLS with a certificate issued by the portal's own CA. */
  https: z.boolean(),
  /** The URL clients reach the portal at; defaults to the listen address. */
  publicUrl: z.string().url().optional(),
  /**
   * The reverse proxies and load balancers in front of the portal (`--trust-proxy`): addresses, CIDR
   * ranges and the names loopback, linklocal, uniquelocal. A request that comes from one of them is
   * counted by the client address its X-Forwarded-For names (src/http/client-address.ts); empty, the
   * default: no one is trusted and the header is never read.
   */
  trustProxy: z.array(z.string()).superRefine((entries, ctx) => {
    for (const entry of entries) {
      const problem = proxyEntryProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: `"${entry}" ${problem}` });
    }
  }),
  /** Access-token lifetime in seconds (Bitrix24 uses 3600). */
  tokenTtl: z.number().int().min(1),
  /** Refresh-token lifetime in seconds (Bitrix24 uses 180 days). */
  refreshTtl: z.number().int().min(1),
  /** How long one event POST may take before it counts as failed, in ms. */
  eventTimeoutMs: z.number().int().min(100),
  /**
   * After a POST timed out, how long the handler may still be running that attempt (ms): the
   * event's next attempt does not start before it has passed.
   */
  eventGraceMs: z.number().int().min(0),
  /** Attempts per event before it is dead-lettered. */
  eventAttempts: z.number().int().min(1),
  /** Delay before the first retry; doubled each time up to eventMaxDelayMs. */
  eventFirstDelayMs: z.number().int().min(10),
  eventMaxDelayMs: z.number().int().min(10),
  /** How often an idle dispatcher looks for due events unasked (retries, expired leases, other processes' rows), in ms. */
  eventPollMs: z.number().int().min(10),
  /** How often open-line timers (bot hand-over, operator answer time, auto-close) are checked, in ms. */
  linesTickMs: z.number().int().min(10),
  /**
   * Non-public networks event handlers may be at, besides public addresses: `loopback`, `private`
   * (both by default). Link-local, cloud metadata, unspecified, multicast and broadcast never.
   */
  eventNetworks: z.array(z.enum(['loopback', 'private'])),
  log: z.boolean(),
  /** Let URL previews fetch loopback, private and link-local addresses (off: they are refused). */
  urlPreviewPrivate: z.boolean(),
  /** Record every REST call for the developer console (on by default; PARLEY_CALL_LOG=0 turns it off). */
  callLog: z.boolean(),
  /** Open /realtime sockets one credential (a webhook, or one app's tokens for one user) may hold. */
  realtimePerCredential: z.number().int().min(1),
  /** Open and opening /realtime sockets one client address (IPv6: one /64) may hold. */
  realtimePerAddress: z.number().int().min(1),
  /** Open and opening /realtime sockets in all; unset: derived at start from the file-descriptor limit. */
  realtimeMaxSockets: z.number().int().min(1).optional(),
  /** How often the credentials of open sockets are checked again (revoked elsewhere, expired), in ms. */
  realtimeRecheckMs: z.number().int().min(50),
  /**
   * How often the realtime hub reads the push log unasked, in ms: what this process commits wakes it
   * at once; the poll brings what other processes (the CLI, another portal) wrote.
   */
  realtimePollMs: z.number().int().min(50),
  /** How long authenticating an upgrade may take before it is refused, in ms. */
  realtimeAuthTimeoutMs: z.number().int().min(50),
  /** Every open socket is pinged this often; one that did not answer the previous ping is dropped, in ms. */
  realtimePingMs: z.number().int().min(50),
  /** Range of the delay before a type-H ("human") bot's message appears, in ms. */
  humanDelayMinMs: z.number().int().min(0),
  humanDelayMaxMs: z.number().int().min(0),
  /** Giphy API key for imbot.Giphy.*; without one those methods answer SERVICE_UNAVAILABLE. */
  giphyKey: z.string().optional(),
  /** Giphy API base URL (tests point it at a loopback server speaking Giphy's format). */
  giphyUrl: z.string().url(),
  /** Where uploaded chat files are kept (content-addressed); defaults to `files/` in the data directory. */
  filesDir: z.string().min(1),
  /** How long a signed file URL (urlDownload/urlShow/urlPreview) works, in seconds (24 hours). */
  fileUrlTtl: z.number().int().min(1),
  /** The largest file an upload may carry, in bytes (100 MiB, the platform's file limit). */
  fileMaxBytes: z.number().int().min(1),
  /** Failed sign-ins in a row for one login before it is locked (then one try per lock). */
  signinMaxFailures: z.number().int().min(1),
  /** Failed sign-ins from one remote address (IPv4, or IPv6 /64) before it is locked. */
  signinAddressMaxFailures: z.number().int().min(1),
  /** Failed sign-ins one remote address may make at once; after them one per signinAddressPaceMs (429 between). */
  signinAddressBurst: z.number().int().min(1),
  signinAddressPaceMs: z.number().int().min(1),
  /** The first lock, in ms; each further failure doubles it, up to signinMaxLockMs. */
  signinLockMs: z.number().int().min(1),
  signinMaxLockMs: z.number().int().min(1),
  /** A login's or address's failures are forgotten this long after the last one (or its lock's end). */
  signinWindowMs: z.number().int().min(1),
  /** Bitrix24's cloud REST limits (src/rest/rate-limits.ts): off, or a plan's (cloud, enterprise). */
  rateLimit: z.enum(['off', 'cloud', 'enterprise']),
  /** Where /metrics (Prometheus) is served: a port of its own, off when unset (src/http/metrics-server.ts). */
  metricsPort: z.number().int().min(0).max(65535).optional(),
  metricsHost: z.string().min(1),
  /**
   * Retention (src/domain/retention.ts), in hours: delivered and discarded events (the console's
   * event log), REST call log rows, realtime push log rows (how far back a reconnecting client is
   * replayed), and the record of where each bot command was called (imbot.command.answer's check).
   */
  keepEventsHours: z.number().int().min(1),
  keepCallsHours: z.number().int().min(1),
  keepPushesHours: z.number().int().min(1),
  keepCommandCallsHours: z.number().int().min(1),
  /** Offline events (events/offline-queue.ts): a reserved batch, or a row nobody takes, is dropped after this long. */
  keepOfflineEventsHours: z.number().int().min(1),
  /** im.v2 user events (im.v2.Event.get): dropped after this long, read or not. */
  keepUserEventsHours: z.number().int().min(1),
  /** A v2 fetch-mode bot's events not acknowledged (imbot.v2.Event.get): dropped after this long. */
  keepBotEventsHours: z.number().int().min(1),
  /** v2 log events acknowledged (fetched): kept this long for the developer console, then dropped. */
  keepFetchedEventsHours: z.number().int().min(1),
});

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The names proxy-addr (Fastify's trustProxy) gives to address ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

// Checked at start, so a typo stops `parley start` with its entry named instead of failing a request later.
function proxyEntryProblem(entry: string): string | undefined {
  if (PROXY_RANGE_NAMES.includes(entry)) return undefined;
  const slash = entry.lastIndexOf('/');
  // Node's strict reading first: proxy-addr (ipaddr.js) also takes "1" or "10.1" for an IPv4 address,
  // so a hop count or a cut-off address would silently trust some other host.
  if (!net.isIP(slash < 0 ? entry : entry.slice(0, slash))) {
    return `is not an IP address, a CIDR range (10.0.0.0/8) or one of ${PROXY_RANGE_NAMES.join(', ')}`;
  }
  try {
    proxyAddr.compile(entry);
    return undefined;
  } catch (err) {
    return `is refused: ${(err as Error).message}`;
  }
}

/** The portal's resolved configuration. */
export type Config = z.infer<typeof schema>;

/** Raw option values as they come from commander or tests; anything missing takes its default. */
export type ConfigInput = Partial<{ [K in keyof Config]: Config[K] | string }>;

const env = process.env;

function num(v: unknown, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : NaN;
}

function optionalNum(v: unknown): number | undefined {
  return v === undefined || v === null || v === '' ? undefined : num(v, 0);
}

function flag(v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === '') return fallback;
  if (typeof v === 'boolean') return v;
  return ['1', 'true', 'yes', 'y'].includes(String(v).toLowerCase());
}

// PARLEY_EVENT_NETWORKS: a comma list of `loopback` and `private`; `public` (or `none`) for neither.
function networks(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (v === undefined || v === null || v === '') return ['loopback', 'private'];
  return String(v).split(',').map((s) => s.trim().toLowerCase()).filter((s) => s && s !== 'public' && s !== 'none');
}

// PARLEY_TRUST_PROXY: a comma list; blanks around entries and empty entries are dropped.
function commaList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((s) => String(s).trim()).filter(Boolean);
  if (v === undefined || v === null) return [];
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * What a config file may set: where the portal's state is and how it is reached, the keys of
 * `parley start`'s options of the same names. Unknown keys are refused, so a misspelt one is not
 * silently ignored.
 */
const fileSchema = z.strictObject({
  data: z.string().min(1).optional(),
  db: z.string().regex(/^postgres(?:ql)?:\/\//, 'must be a postgres:// URL').optional(),
  redis: z.string().optional(),
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  https: z.boolean().optional(),
  publicUrl: z.string().optional(),
});

/** The config file's values, as loadConfig takes them after the flags and the environment. */
export type FileInput = Pick<ConfigInput, 'dataDir' | 'db' | 'redis' | 'host' | 'port' | 'https' | 'publicUrl'>;

/** The environment variable that, when set, comes before the config file's value of each key. */
const FILE_KEY_ENV: Record<keyof FileInput, string> = {
  dataDir: 'PARLEY_DATA', db: 'PARLEY_DB', redis: 'PARLEY_REDIS', host: 'PARLEY_HOST', port: 'PARLEY_PORT', https: 'PARLEY_HTTPS', publicUrl: 'PARLEY_PUBLIC_URL',
};

/**
 * The config file that applies here, if any: the one PARLEY_CONFIG names (it must exist), else
 * `parley.json` in the current folder, else `$XDG_CONFIG_HOME/parley/config.json`
 * (`~/.config/parley/config.json`).
 */
export function findConfigFile(cwd = process.cwd(), environment: NodeJS.ProcessEnv = env): string | undefined {
  if (environment.PARLEY_CONFIG) return path.resolve(cwd, environment.PARLEY_CONFIG);
  const here = path.join(cwd, 'parley.json');
  if (fs.existsSync(here)) return here;
  const user = path.join(environment.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'parley', 'config.json');
  return fs.existsSync(user) ? user : undefined;
}

/** Read and check a config file; relative paths in it are relative to its folder. Throws ConfigError naming the file. */
export function readConfigFile(file: string): FileInput {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the config file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`the config file ${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => (i.code === 'unrecognized_keys'
      ? `  ${i.keys.join(', ')}: unknown (a config file holds ${Object.keys(fileSchema.shape).join(', ')})`
      : `  ${i.path.join('.') || '(the file)'}: ${i.message}`));
    throw new ConfigError(`invalid config file ${file}:\n${lines.join('\n')}`);
  }
  const { data, ...rest } = parsed.data;
  return { ...rest, ...(data === undefined ? {} : { dataDir: path.resolve(path.dirname(file), data) }) };
}

/** Whether the config file's value of `key` is the one used: neither a flag nor its environment variable set it. */
export function fileDecides(key: keyof FileInput, input: ConfigInput, file: FileInput): boolean {
  return file[key] !== undefined && input[key] === undefined && !env[FILE_KEY_ENV[key]];
}

/**
 * Build and validate the configuration; throws a readable error listing every bad option. Each
 * value comes from `input` (flags), else its environment variable, else `file` (a config file, for
 * the keys one may hold), else its default.
 */
export function loadConfig(flags: ConfigInput = {}, file: FileInput = {}): Config {
  const input: ConfigInput = { ...flags };
  for (const key of Object.keys(file) as (keyof FileInput)[]) {
    if (fileDecides(key, flags, file)) Object.assign(input, { [key]: file[key] });
  }
  const https = flag(input.https ?? env.PARLEY_HTTPS, false);
  const raw = {
    dataDir: path.resolve(String(input.dataDir ?? env.PARLEY_DATA ?? 'data')),
    db: (input.db ?? env.PARLEY_DB) || undefined,
    redis: (input.redis ?? env.PARLEY_REDIS) || undefined,
    redisChannel: (input.redisChannel ?? env.PARLEY_REDIS_CHANNEL) || undefined,
    host: String(input.host ?? env.PARLEY_HOST ?? '127.0.0.1'),
    port: num(input.port ?? env.PARLEY_PORT, https ? 8443 : 8080),
    https,
    publicUrl: (input.publicUrl ?? env.PARLEY_PUBLIC_URL) || undefined,
    trustProxy: commaList(input.trustProxy ?? env.PARLEY_TRUST_PROXY),
    tokenTtl: num(input.tokenTtl ?? env.PARLEY_TOKEN_TTL, 3600),
    refreshTtl: num(input.refreshTtl ?? env.PARLEY_REFRESH_TTL, 180 * 86400),
    // PHP stops a script after 30 s (max_execution_time): a PHP handler is ended by its own limit
    // before Parley gives up on it, so a slow one is not sent the same event while it still runs.
    eventTimeoutMs: num(input.eventTimeoutMs ?? env.PARLEY_EVENT_TIMEOUT_MS, 35_000),
    eventGraceMs: num(input.eventGraceMs ?? env.PARLEY_EVENT_GRACE_MS, 30_000),
    eventAttempts: num(input.eventAttempts ?? env.PARLEY_EVENT_ATTEMPTS, 10),
    eventFirstDelayMs: num(input.eventFirstDelayMs ?? env.PARLEY_EVENT_FIRST_DELAY_MS, 1000),
    eventMaxDelayMs: num(input.eventMaxDelayMs ?? env.PARLEY_EVENT_MAX_DELAY_MS, 60_000),
    eventPollMs: num(input.eventPollMs ?? env.PARLEY_EVENT_POLL_MS, 250),
    linesTickMs: num(input.linesTickMs ?? env.PARLEY_LINES_TICK_MS, 1000),
    eventNetworks: networks(input.eventNetworks ?? env.PARLEY_EVENT_NETWORKS),
    log: flag(input.log ?? env.PARLEY_LOG, false),
    urlPreviewPrivate: flag(input.urlPreviewPrivate ?? env.PARLEY_URL_PREVIEW_PRIVATE, false),
    callLog: flag(input.callLog ?? env.PARLEY_CALL_LOG, true),
    realtimePerCredential: num(input.realtimePerCredential ?? env.PARLEY_REALTIME_MAX_PER_CREDENTIAL, 20),
    realtimePerAddress: num(input.realtimePerAddress ?? env.PARLEY_REALTIME_MAX_PER_ADDRESS, 200),
    realtimeMaxSockets: optionalNum(input.realtimeMaxSockets ?? env.PARLEY_REALTIME_MAX_SOCKETS),
    realtimeRecheckMs: num(input.realtimeRecheckMs ?? env.PARLEY_REALTIME_RECHECK_MS, 10_000),
    realtimePollMs: num(input.realtimePollMs ?? env.PARLEY_REALTIME_POLL_MS, 1000),
    realtimeAuthTimeoutMs: num(input.realtimeAuthTimeoutMs ?? env.PARLEY_REALTIME_AUTH_TIMEOUT_MS, 5000),
    realtimePingMs: num(input.realtimePingMs ?? env.PARLEY_REALTIME_PING_MS, 30_000),
    humanDelayMinMs: num(input.humanDelayMinMs ?? env.PARLEY_HUMAN_DELAY_MIN_MS, 2000),
    humanDelayMaxMs: num(input.humanDelayMaxMs ?? env.PARLEY_HUMAN_DELAY_MAX_MS, 10_000),
    giphyKey: (input.giphyKey ?? env.PARLEY_GIPHY_KEY) || undefined,
    giphyUrl: String(input.giphyUrl ?? env.PARLEY_GIPHY_URL ?? 'https://api.giphy.com'),
    filesDir: '',
    fileUrlTtl: num(input.fileUrlTtl ?? env.PARLEY_FILE_URL_TTL, 86_400),
    fileMaxBytes: num(input.fileMaxBytes ?? env.PARLEY_FILE_MAX_BYTES, 100 * 1024 * 1024),
    signinMaxFailures: num(input.signinMaxFailures ?? env.PARLEY_SIGNIN_MAX_FAILURES, 5),
    signinAddressMaxFailures: num(input.signinAddressMaxFailures ?? env.PARLEY_SIGNIN_ADDRESS_MAX_FAILURES, 50),
    signinAddressBurst: num(input.signinAddressBurst ?? env.PARLEY_SIGNIN_ADDRESS_BURST, 10),
    signinAddressPaceMs: num(input.signinAddressPaceMs ?? env.PARLEY_SIGNIN_ADDRESS_PACE_MS, 2000),
    signinLockMs: num(input.signinLockMs ?? env.PARLEY_SIGNIN_LOCK_MS, 30_000),
    signinMaxLockMs: num(input.signinMaxLockMs ?? env.PARLEY_SIGNIN_MAX_LOCK_MS, 15 * 60_000),
    signinWindowMs: num(input.signinWindowMs ?? env.PARLEY_SIGNIN_WINDOW_MS, 15 * 60_000),
    metricsPort: optionalNum(input.metricsPort ?? env.PARLEY_METRICS_PORT),
    metricsHost: String(input.metricsHost ?? env.PARLEY_METRICS_HOST ?? '127.0.0.1'),
    rateLimit: String(input.rateLimit ?? env.PARLEY_RATE_LIMIT ?? 'off').toLowerCase(),
    keepEventsHours: num(input.keepEventsHours ?? env.PARLEY_KEEP_EVENTS_HOURS, 7 * 24),
    keepCallsHours: num(input.keepCallsHours ?? env.PARLEY_KEEP_CALLS_HOURS, 7 * 24),
    keepPushesHours: num(input.keepPushesHours ?? env.PARLEY_KEEP_PUSHES_HOURS, 24),
    keepCommandCallsHours: num(input.keepCommandCallsHours ?? env.PARLEY_KEEP_COMMAND_CALLS_HOURS, 30 * 24),
    // 30 days: how long Bitrix24 keeps a reserved batch (offline-events.md).
    keepOfflineEventsHours: num(input.keepOfflineEventsHours ?? env.PARLEY_KEEP_OFFLINE_EVENTS_HOURS, 30 * 24),
    // 24 hours: the storage period of im.v2 user events (im.v2/events/index.md).
    keepUserEventsHours: num(input.keepUserEventsHours ?? env.PARLEY_KEEP_USER_EVENTS_HOURS, 24),
    // 30 days: nothing documented; as long as an offline event's reserved batch is kept.
    keepBotEventsHours: num(input.keepBotEventsHours ?? env.PARLEY_KEEP_BOT_EVENTS_HOURS, 30 * 24),
    // 24 hours: a day of what bots fetched, for the console (Parley's choice; nothing is documented).
    keepFetchedEventsHours: num(input.keepFetchedEventsHours ?? env.PARLEY_KEEP_FETCHED_EVENTS_HOURS, 24),
  };
  raw.filesDir = path.resolve(String((input.filesDir ?? env.PARLEY_FILES_DIR) || path.join(raw.dataDir, 'files')));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** A configuration mistake the CLI reports without a stack trace. */
export class ConfigError extends Error {}

/** The URL the portal is reachable at, without a trailing slash. */
export function listenUrl(config: Config, port = config.port): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.https ? 'https' : 'http'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
}
