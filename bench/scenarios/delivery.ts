/**
 * Event delivery, read at the bot handler in the driver process (clients/delivery-driver.ts):
 *   delivery        one message at a time, user → bot: send → ONIMBOTMESSAGEADD at the handler,
 *                   vs a bare POST of the same event body to the same handler (p99 ≤ 3×)
 *   delivery-rate   200 messages/s from 100 users to the bot (100 dialogs): p99 ≤ 50 ms
 *   stalled-handler two bots at 10 messages/s each; bot A's handler answers, then never answers:
 *                   bot B's delivery latency with A hung ÷ with A answering (≤ 1.1). The rate is one
 *                   the portal sustains on this machine: a saturated portal would measure its queue,
 *                   not the hung bot's effect.
 */
import { forkChild, type Child } from '../processes.ts';
import type { Options } from '../options.ts';
import type { Dialect } from '../portal/database.ts';
import { registerBot } from '../portal/fixtures.ts';
import { hookOf } from '../portal/seed.ts';
import { withPortal, type PortalSession } from '../portal/session.ts';
import type { Latencies } from '../clients/latency.ts';
import type { Row } from '../table.ts';
import type { Scenario } from './scenario.ts';

/** Unmeasured load on the message → bot path before a delivery scenario measures it. */
const WARM_UP_SECONDS = 3;

/** Messages per second to each of the two bots in stalled-handler. */
const STALL_RATE = 10;

/** What the open loop reports for one bot. */
interface OpenResult { sent: number; arrived: number; delivery: Latencies; rest: Latencies; sendSeconds: number; failed: number; failures: string[] }

/** Run `fn` with the driver process and two bots whose handlers live in it. */
async function withDriver<T>(dialect: Dialect, users: number, fn: (d: Child, s: PortalSession, bots: { a: number; b: number }) => Promise<T>): Promise<T> {
  return withPortal(dialect, users, async (s) => {
    const driver = forkChild('clients/delivery-driver.ts');
    try {
      const urls = await driver.next<{ a: string; b: string }>();
      const admin = hookOf(s.portal.url, s.seeded.admin);
      const bots = { a: await registerBot(admin, 'bench_a', urls.a), b: await registerBot(admin, 'bench_b', urls.b) };
      return await fn(driver, s, bots);
    } finally {
      await driver.stop();
    }
  });
}

async function ask<T>(driver: Child, msg: unknown): Promise<T> {
  driver.send(msg);
  const answer = await driver.next<T & { error?: string }>();
  if (answer.error) throw new Error(answer.error);
  return answer;
}

function lost(r: OpenResult): string | undefined {
  const parts = [];
  if (r.failed) parts.push(`${r.failed} im.message.add calls failed (${r.failures.join('; ')})`);
  if (r.arrived < r.sent) parts.push(`${r.sent - r.arrived} of ${r.sent} sent messages' events had not arrived 15 s after the last send`);
  return parts.length ? parts.join('; ') : undefined;
}

const closed: Scenario = {
  name: 'delivery',
  what: 'user → bot, one message at a time: send → ONIMBOTMESSAGEADD at the handler vs a bare POST to it (p99 ≤ 3×)',
  async run(dialect, opts: Options): Promise<Row[]> {
    return withDriver(dialect, 1, async (driver, s, bots) => {
      const count = opts.short ? 100 : 500;
      const hook = hookOf(s.portal.url, s.seeded.users[0]);
      await ask(driver, { cmd: 'closed', hook, botId: bots.b, count: 30 }); // warm-up, discarded
      const r = await ask<{ parley: Latencies; bare: Latencies; eventBytes: number }>(driver, { cmd: 'closed', hook, botId: bots.b, count });
      return [
        { scenario: 'delivery', name: 'send → handler p50', db: dialect, unit: 'ms', parley: r.parley.p50, baseline: r.bare.p50, raw: r },
        { scenario: 'delivery', name: 'send → handler p99', db: dialect, unit: 'ms', parley: r.parley.p99, baseline: r.bare.p99, target: { of: 'ratio', op: '<=', value: 3 }, raw: r },
      ];
    });
  },
};

const rate: Scenario = {
  name: 'delivery-rate',
  what: '200 messages/s from 100 users to one bot (100 dialogs): send → handler p99 ≤ 50 ms',
  async run(dialect, opts) {
    return withDriver(dialect, 100, async (driver, s, bots) => {
      const hooks = s.seeded.users.map((u) => hookOf(s.portal.url, u));
      await ask(driver, { cmd: 'open', hooks, botId: bots.b, rate: 20, seconds: WARM_UP_SECONDS }); // warm-up, discarded
      const r = await ask<OpenResult>(driver, { cmd: 'open', hooks, botId: bots.b, rate: 200, seconds: opts.seconds });
      return [
        { scenario: 'delivery-rate', name: 'send → handler p50 @200/s', db: dialect, unit: 'ms', parley: r.delivery.p50, warning: lost(r), raw: r },
        { scenario: 'delivery-rate', name: 'send → handler p99 @200/s', db: dialect, unit: 'ms', parley: r.delivery.p99, target: { of: 'parley', op: '<=', value: 50 }, warning: lost(r), raw: r },
      ];
    });
  },
};

const stalled: Scenario = {
  name: 'stalled-handler',
  what: "a bot whose handler never answers: the other bot's delivery latency, ÷ the same load with both answering (≤ 1.1)",
  async run(dialect, opts) {
    return withDriver(dialect, 40, async (driver, s, bots) => {
      const hooks = s.seeded.users.map((u) => hookOf(s.portal.url, u));
      const load = { cmd: 'pair', hooksA: hooks.slice(0, 20), botA: bots.a, hooksB: hooks.slice(20), botB: bots.b, rate: STALL_RATE, seconds: opts.seconds };
      // A discarded run first: in the short run without it, the portal's first seconds of messages to
      // bots (a path the portal's warm-up does not take) made "A answering" 40× slower than "A hung".
      await ask(driver, { ...load, seconds: WARM_UP_SECONDS, stallA: false });
      // Answering first: once A hangs, its dialogs hold undelivered events until the run ends.
      const answering = await ask<{ a: OpenResult; b: OpenResult }>(driver, { ...load, stallA: false });
      const hung = await ask<{ a: OpenResult; b: OpenResult }>(driver, { ...load, stallA: true });
      const raw = { answering, hung };
      const warning = lost(hung.b) ?? lost(answering.b);
      return [
        { scenario: 'stalled-handler', name: 'other bot p50 (A hung vs A answering)', db: dialect, unit: 'ms', parley: hung.b.delivery.p50, baseline: answering.b.delivery.p50, target: { of: 'ratio', op: '<=', value: 1.1 }, warning, raw },
        { scenario: 'stalled-handler', name: 'other bot p99 (A hung vs A answering)', db: dialect, unit: 'ms', parley: hung.b.delivery.p99, baseline: answering.b.delivery.p99, target: { of: 'ratio', op: '<=', value: 1.1 }, warning, raw },
      ];
    });
  },
};

/** The delivery scenarios. */
export const deliveryScenarios: Scenario[] = [closed, rate, stalled];
