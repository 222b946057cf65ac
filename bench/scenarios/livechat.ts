/**
 * The website live chat under a crowd:
 *   livechat-visitors  1,000 concurrent widget visitors on one line, each made through the widget API
 *                      and holding its live socket, writing messages: the time from a visitor's POST
 *                      to the operator's /realtime socket hearing it (p50, p99), and the portal's
 *                      resident memory at the end. Figures recorded, no baseline and no target: there
 *                      is no bare server that does what a line does.
 * Visitors come from addresses of their own (X-Forwarded-For, the portal trusting the loopback), and
 * the messages are paced under the line's own limit (WIDGET_LIMITS.line, 60 a second after a burst of
 * 600); the socket caps are raised as for the realtime scenarios.
 */
import { openStore } from '../../src/store/db.ts';
import { createWebhook } from '../../src/domain/apps.ts';
import { forkChild, rssOf } from '../processes.ts';
import type { Options } from '../options.ts';
import type { Dialect } from '../portal/database.ts';
import { call } from '../portal/fixtures.ts';
import { hookOf } from '../portal/seed.ts';
import { withPortal } from '../portal/session.ts';
import type { Latencies } from '../clients/latency.ts';
import type { Row } from '../table.ts';
import type { Scenario } from './scenario.ts';

const VISITORS = 1000;
const ENV = { PARLEY_REALTIME_MAX_PER_ADDRESS: '5000', PARLEY_REALTIME_MAX_SOCKETS: '5000', PARLEY_TRUST_PROXY: 'loopback' };

interface Result { latency: Latencies; visitors: number; failed: number; refused: number; missing: number; firstError: string; connectSeconds: number; error?: string }

const visitorsScenario: Scenario = {
  name: 'livechat-visitors',
  what: '1,000 concurrent widget visitors writing to one line: visitor message → operator socket (p50/p99) and the portal\'s RSS',
  async run(dialect: Dialect, opts: Options): Promise<Row[]> {
    const visitors = opts.short ? 200 : VISITORS;
    const messages = opts.short ? 200 : 2000;
    const rate = 50;
    return withPortal(dialect, 1, async (s) => {
      // The seed's webhooks have im and imbot; the line is set up with one that has imopenlines too.
      const store = await openStore({ dataDir: s.store.dataDir, db: s.store.db });
      const adminCode = await createWebhook(store.db, 1, ['imopenlines', 'im']).finally(() => store.close());
      const admin = hookOf(s.portal.url, { id: 1, code: adminCode });
      const operator = s.seeded.users[0];
      // QUEUE_TIME 0: the operator keeps every conversation offered to them. With the default 60 s the
      // queue would pass a session on after a minute (the operator leaves it and hears no more of it).
      const lineId = await call<number>(admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Bench line', QUEUE: [operator.id], QUEUE_TIME: 0 } });
      const code = (await call<{ LIVECHAT_CODE: string }>(admin, 'imopenlines.config.get', { CONFIG_ID: lineId })).LIVECHAT_CODE;
      const clients = forkChild('clients/widget-visitors.ts');
      try {
        await clients.next();
        clients.send({
          cmd: 'run', portal: s.portal.url, code, visitors, messages, rate,
          operatorSocket: `${s.portal.url.replace(/^http/, 'ws')}/realtime?webhook=${operator.id}:${operator.code}`,
        });
        const r = await clients.next<Result>();
        if (r.error) throw new Error(r.error);
        const rss = rssOf(s.portal.pid);
        const problems = [r.failed && `${r.failed} visitors failed`, r.refused && `${r.refused} messages refused`, r.missing && `${r.missing} never reached the operator`].filter(Boolean);
        const warning = problems.length ? `${problems.join(', ')} (${r.firstError})` : undefined;
        const raw = { ...r, rate, messages };
        const name = (what: string) => `${what}, ${r.visitors} visitors, ${messages} msgs at ${rate}/s`;
        return [
          { scenario: 'livechat-visitors', name: name('visitor → operator socket p50'), db: dialect, unit: 'ms', parley: r.latency.p50, warning, raw },
          { scenario: 'livechat-visitors', name: name('visitor → operator socket p99'), db: dialect, unit: 'ms', parley: r.latency.p99, warning, raw },
          { scenario: 'livechat-visitors', name: `portal RSS at the end, ${r.visitors} live sockets`, db: dialect, unit: 'MiB', parley: rss / 1024 / 1024, warning, raw },
        ];
      } finally {
        await clients.stop();
      }
    }, ENV);
  },
};

/** The live-chat scenarios. */
export const livechatScenarios: Scenario[] = [visitorsScenario];
