/**
 * The realtime channel, with every socket opened by the clients' process (clients/socket-clients.ts):
 *   fanout        a message in a 1,000-member group chat, every member's socket open: time until
 *                 the last member heard message.add, vs a bare `ws` server broadcasting the same push
 *                 to 1,000 sockets (≤ 2×)
 *   idle-sockets  10,000 open idle sockets (10 per user): the server's resident memory per socket,
 *                 vs the bare `ws` server holding as many (≤ 2×)
 * The portal runs with its per-address and total socket caps raised (PARLEY_REALTIME_MAX_PER_ADDRESS,
 * PARLEY_REALTIME_MAX_SOCKETS): every client here comes from 127.0.0.1, which the default
 * per-address cap of 200 is there to stop.
 */
import { forkChild, rssOf, sleep, type Child } from '../processes.ts';
import type { Options } from '../options.ts';
import type { Dialect } from '../portal/database.ts';
import { groupChat } from '../portal/fixtures.ts';
import { hookOf, type Actor } from '../portal/seed.ts';
import { withPortal } from '../portal/session.ts';
import type { Latencies } from '../clients/latency.ts';
import type { Row } from '../table.ts';
import type { Scenario } from './scenario.ts';

const MEMBERS = 1000;
const IDLE_SOCKETS = 10_000;
const SOCKET_ENV = { PARLEY_REALTIME_MAX_PER_ADDRESS: String(IDLE_SOCKETS * 2), PARLEY_REALTIME_MAX_SOCKETS: String(IDLE_SOCKETS + 1000) };

interface FanoutResult { last: Latencies; first: Latencies; missing: number; sockets: number; samplePush: string }
interface Connected { open: number; failed: number; firstError: string; seconds: number }

async function ask<T>(child: Child, msg: unknown): Promise<T> {
  child.send(msg);
  const answer = await child.next<T & { error?: string }>();
  if (answer.error) throw new Error(answer.error);
  return answer;
}

/** Run `fn` with the socket clients' process. */
async function withClients<T>(fn: (c: Child) => Promise<T>): Promise<T> {
  const clients = forkChild('clients/socket-clients.ts');
  try {
    await clients.next();
    return await fn(clients);
  } finally {
    await clients.stop();
  }
}

/** Run `fn` with the bare ws server's base URL and pid. */
async function withWsBaseline<T>(fn: (url: string, pid: number) => Promise<T>): Promise<T> {
  const server = forkChild('baselines/ws-server.ts');
  try {
    const { url } = await server.next<{ url: string }>();
    return await fn(url, server.proc.pid!);
  } finally {
    await server.stop();
  }
}

const socketOf = (portalUrl: string, a: Actor) => `${portalUrl.replace(/^http/, 'ws')}/realtime?webhook=${a.id}:${a.code}`;

function openProblem(c: Connected, wanted: number): string | undefined {
  return c.open < wanted ? `only ${c.open} of ${wanted} sockets opened (${c.failed} failed: ${c.firstError})` : undefined;
}

const fanout: Scenario = {
  name: 'fanout',
  what: 'a message in a 1,000-member chat, every member connected: time until the last member has it vs a bare ws broadcast (≤ 2×)',
  async run(dialect: Dialect, opts: Options): Promise<Row[]> {
    const reps = opts.short ? 5 : 20;
    return withPortal(dialect, MEMBERS, async (s) => {
      const author = hookOf(s.portal.url, s.seeded.users[0]);
      const chatId = await groupChat(author, 'Everyone', s.seeded.users.map((u) => u.id));
      return withClients(async (clients) => {
        const connected = await ask<Connected>(clients, { cmd: 'connect', urls: s.seeded.users.map((u) => socketOf(s.portal.url, u)) });
        const body = new URLSearchParams({ DIALOG_ID: `chat${chatId}`, MESSAGE: 'to everyone' }).toString();
        const parley = await ask<FanoutResult>(clients, { cmd: 'fanout', trigger: `${author}im.message.add`, body, contentType: 'application/x-www-form-urlencoded', reps });
        await ask(clients, { cmd: 'close' });
        const bare = await withWsBaseline(async (url) => {
          await ask<Connected>(clients, { cmd: 'connect', urls: Array.from({ length: connected.open }, () => `${url.replace(/^http/, 'ws')}/realtime`) });
          const r = await ask<FanoutResult>(clients, { cmd: 'fanout', trigger: `${url}/broadcast`, body: parley.samplePush, contentType: 'application/json', reps });
          await ask(clients, { cmd: 'close' });
          return r;
        });
        const warning = openProblem(connected, MEMBERS) ?? (parley.missing || bare.missing ? `pushes missing: Parley ${parley.missing}, bare ${bare.missing}` : undefined);
        const raw = { connected, parley, bare, reps };
        return [
          { scenario: 'fanout', name: `last of ${connected.open} has it, median of ${reps}`, db: dialect, unit: 'ms', parley: parley.last.p50, baseline: bare.last.p50, target: { of: 'ratio', op: '<=', value: 2 }, warning, raw },
          { scenario: 'fanout', name: `last of ${connected.open} has it, worst of ${reps}`, db: dialect, unit: 'ms', parley: parley.last.max, baseline: bare.last.max, warning, raw },
        ];
      });
    }, SOCKET_ENV);
  },
};

/** Resident memory of `pid` before and after `open()` opened the sockets, per socket. */
async function memoryPerSocket(clients: Child, pid: number, urls: string[]) {
  await sleep(2000);
  const before = rssOf(pid);
  const connected = await ask<Connected>(clients, { cmd: 'connect', urls });
  await sleep(3000);
  const after = rssOf(pid);
  await ask(clients, { cmd: 'close' });
  return { before, after, connected, perSocket: (after - before) / Math.max(1, connected.open) };
}

const idle: Scenario = {
  name: 'idle-sockets',
  what: '10,000 idle sockets: resident memory per socket vs a bare ws server (≤ 2×)',
  async run(dialect) {
    return withPortal(dialect, MEMBERS, async (s) => withClients(async (clients) => {
      const urls = Array.from({ length: IDLE_SOCKETS }, (_, i) => socketOf(s.portal.url, s.seeded.users[i % MEMBERS]));
      const parley = await memoryPerSocket(clients, s.portal.pid, urls);
      const bare = await withWsBaseline((url, pid) => memoryPerSocket(clients, pid, urls.map(() => `${url.replace(/^http/, 'ws')}/realtime`)));
      const warning = openProblem(parley.connected, IDLE_SOCKETS) ?? openProblem(bare.connected, IDLE_SOCKETS);
      return [{
        scenario: 'idle-sockets', name: `RSS per idle socket (${parley.connected.open} open)`, db: dialect, unit: 'KiB',
        parley: parley.perSocket / 1024, baseline: bare.perSocket / 1024, target: { of: 'ratio', op: '<=', value: 2 }, warning, raw: { parley, bare },
      }];
    }), SOCKET_ENV);
  },
};

/** The realtime scenarios. */
export const socketScenarios: Scenario[] = [fanout, idle];
