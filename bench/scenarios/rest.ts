/**
 * The REST hot paths through a user's webhook, each beside the bare node:http server that does the
 * same kind of work (baselines/http-server.ts), both loaded by the same generator in the same run:
 *   rest-light  server.time and profile        vs a small JSON answer      (target ≥ 50%)
 *   rest-write  im.message.add into a group     vs an insert in a transaction (target ≥ 25%)
 *   rest-read   im.dialog.messages.get (20), im.recent.list, im.counters.get
 *                                               vs a 20-row select (target ≥ 50%, p99 ≤ 25 ms)
 */
import { withBaseline } from '../baselines/start.ts';
import { pairedLoad } from '../load/paired.ts';
import type { Options } from '../options.ts';
import type { Dialect } from '../portal/database.ts';
import { call, groupChat, postMessages } from '../portal/fixtures.ts';
import { hookOf } from '../portal/seed.ts';
import { withPortal, type PortalSession } from '../portal/session.ts';
import type { Row } from '../table.ts';
import { p99Row, postSpec, throughputRow } from './rest-rows.ts';
import type { Scenario } from './scenario.ts';

/** Members of the group chat the REST rows use (the author and nine others). */
const MEMBERS = 10;
/** Messages already in that chat, so a page of 20 is a page of a longer history. */
const HISTORY = 100;

/** The REST fixture: a group chat with history, and a few private dialogs for the recent list. */
async function restFixture(s: PortalSession): Promise<{ hook: string; chatId: number }> {
  const hooks = s.seeded.users.map((u) => hookOf(s.portal.url, u));
  const chatId = await groupChat(hooks[0], 'Bench group', s.seeded.users.map((u) => u.id));
  for (let i = 0; i < HISTORY; i++) await call(hooks[i % MEMBERS], 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `history ${i}` });
  for (let i = 1; i <= 5; i++) await postMessages(hooks[i], s.seeded.users[0].id, 3, 'private');
  return { hook: hooks[0], chatId };
}

/**
 * Load one Parley method in turns with its baseline (load/paired.ts), after checking that a single
 * call of the method succeeds.
 */
async function loadMethod(opts: Options, baselineUrl: string, hook: string, method: string, params: Record<string, string> = {}) {
  await call(hook, method, params);
  const body = new URLSearchParams(params).toString();
  return pairedLoad(postSpec(opts, `${hook}${method}`, body), postSpec(opts, baselineUrl, body));
}

const light: Scenario = {
  name: 'rest-light',
  what: 'server.time and profile through a user webhook vs a bare node:http JSON answer (≥ 50%)',
  async run(dialect: Dialect, opts: Options): Promise<Row[]> {
    return withPortal(dialect, MEMBERS, async (s) => {
      const hook = hookOf(s.portal.url, s.seeded.users[0]);
      const target = { of: 'ratio', op: '>=', value: 0.5 } as const;
      return withBaseline('json', async (base) => [
        throughputRow('rest-light', 'server.time', dialect, await loadMethod(opts, base, hook, 'server.time'), target),
        throughputRow('rest-light', 'profile', dialect, await loadMethod(opts, base, hook, 'profile'), target),
      ]);
    });
  },
};

const write: Scenario = {
  name: 'rest-write',
  what: 'im.message.add (user → group chat of 10) vs node:http + a better-sqlite3 insert in a transaction (≥ 25%)',
  async run(dialect, opts) {
    return withPortal(dialect, MEMBERS, async (s) => {
      const { hook, chatId } = await restFixture(s);
      const body = { DIALOG_ID: `chat${chatId}`, MESSAGE: 'bench message' };
      const add = await withBaseline('insert', (base) => loadMethod(opts, base, hook, 'im.message.add', body));
      return [throughputRow('rest-write', 'im.message.add', dialect, add, { of: 'ratio', op: '>=', value: 0.25 })];
    });
  },
};

const read: Scenario = {
  name: 'rest-read',
  what: 'im.dialog.messages.get (20), im.recent.list, im.counters.get vs node:http + a 20-row better-sqlite3 select (≥ 50%, p99 ≤ 25 ms)',
  async run(dialect, opts) {
    return withPortal(dialect, MEMBERS, async (s) => {
      const { hook, chatId } = await restFixture(s);
      const reads = [
        ['im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: '20' }],
        ['im.recent.list', {}],
        ['im.counters.get', {}],
      ] as const;
      return withBaseline('select', async (base) => {
        const rows: Row[] = [];
        for (const [method, params] of reads) {
          const r = await loadMethod(opts, base, hook, method, params);
          rows.push(throughputRow('rest-read', method, dialect, r, { of: 'ratio', op: '>=', value: 0.5 }));
          rows.push(p99Row('rest-read', method, dialect, r, 25));
        }
        return rows;
      });
    });
  },
};

/** The REST scenarios. */
export const restScenarios: Scenario[] = [light, write, read];
