/**
 * The delivery scenarios' client process: it holds the bot handlers (clients/handlers.ts) and sends
 * the users' messages, so the time from a message's send to its event's arrival at the handler is
 * read on one clock, in a process that is not the portal's. Commands arrive over IPC:
 *   {cmd:'closed', hook, botId, count}       one message at a time, each waited for; then the same
 *                                            count of bare POSTs of a real event body to the handler
 *   {cmd:'open', hooks, botId, rate, seconds} an open loop: `rate` messages/s spread over the hooks
 *   {cmd:'pair', hooksA, botA, hooksB, botB, rate, seconds, stallA}
 *                                            `rate`/s to each of two bots; A's handler may stall
 */
import { buildQuery } from '../../src/wire/php-query.ts';
import { startHandler, type Handler } from './handlers.ts';
import { summarize } from './latency.ts';

const handlers = { a: await startHandler(), b: await startHandler() };
let seq = 0;

/** Send one message from a webhook to a bot; resolves with the REST call's own latency. */
async function send(hook: string, botId: number, text: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${hook}im.message.add`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: buildQuery({ DIALOG_ID: botId, MESSAGE: text }),
  });
  const json = (await res.json()) as { error?: string };
  if (json.error) throw new Error(`im.message.add: ${JSON.stringify(json)}`);
  return performance.now() - t0;
}

function arrival(h: Handler, text: string, timeoutMs: number): Promise<void> {
  if (h.arrived.has(text)) return Promise.resolve();
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no event for "${text}" within ${timeoutMs} ms`)), timeoutMs);
    h.onArrive = (t) => {
      if (t !== text) return;
      clearTimeout(timer);
      h.onArrive = undefined;
      ok();
    };
  });
}

async function closedLoop(hook: string, botId: number, count: number) {
  const parley: number[] = [];
  for (let i = 0; i < count; i++) {
    const text = `closed ${++seq}`;
    const t0 = performance.now();
    const got = arrival(handlers.b, text, 15_000);
    await send(hook, botId, text);
    await got;
    parley.push(handlers.b.arrived.get(text)! - t0);
  }
  // The bare round trip: the same handler, the same body a real event had, one POST at a time.
  const body = handlers.b.lastBody ?? '';
  const bare: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const res = await fetch(handlers.b.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    await res.text();
    bare.push(performance.now() - t0);
  }
  return { parley: summarize(parley), bare: summarize(bare), eventBytes: Buffer.byteLength(body) };
}

/**
 * Messages at a fixed rate whatever the answers do (an open loop, so a slow portal shows as
 * latency, not as fewer messages); the sends of each `targets` entry spread round-robin over its hooks.
 */
async function openLoop(targets: { hooks: string[]; botId: number; handler: Handler }[], rate: number, seconds: number) {
  const total = Math.round(rate * seconds);
  const sent = targets.map(() => new Map<string, number>());
  const rest = targets.map(() => [] as number[]);
  const failures: string[] = [];
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let k = 0; k < total; k++) {
    const due = t0 + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    targets.forEach((t, i) => {
      const text = `open ${++seq}`;
      sent[i].set(text, performance.now());
      inflight.push(send(t.hooks[k % t.hooks.length], t.botId, text).then((ms) => void rest[i].push(ms), (err: Error) => {
        // A call that failed sent no message: it is counted as a failure, not as a lost event.
        sent[i].delete(text);
        failures.push(`${err.message}${err.cause ? ` (${(err.cause as Error).message ?? err.cause})` : ''}`);
      }));
    });
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  await Promise.all(inflight);
  // Events still on their way get up to 15 s; a stalled bot's never come and are not waited for.
  const until = performance.now() + 15_000;
  const pending = () => targets.some((t, i) => !t.handler.stall && [...sent[i].keys()].some((x) => !t.handler.arrived.has(x)));
  while (pending() && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  return targets.map((t, i) => {
    const lat = [...sent[i]].filter(([x]) => t.handler.arrived.has(x)).map(([x, s]) => t.handler.arrived.get(x)! - s);
    return { sent: sent[i].size, arrived: lat.length, delivery: summarize(lat), rest: summarize(rest[i]), sendSeconds, failed: failures.length, failures: [...new Set(failures)].slice(0, 3) };
  });
}

process.on('message', async (m: any) => {
  try {
    if (m.cmd === 'closed') process.send!(await closedLoop(m.hook, m.botId, m.count));
    else if (m.cmd === 'open') process.send!((await openLoop([{ hooks: m.hooks, botId: m.botId, handler: handlers.b }], m.rate, m.seconds))[0]);
    else if (m.cmd === 'pair') {
      handlers.a.stall = !!m.stallA;
      const [a, b] = await openLoop([{ hooks: m.hooksA, botId: m.botA, handler: handlers.a }, { hooks: m.hooksB, botId: m.botB, handler: handlers.b }], m.rate, m.seconds);
      process.send!({ a, b });
    }
  } catch (err) {
    process.send!({ error: String((err as Error).stack ?? err) });
  }
});
process.on('SIGTERM', () => {
  handlers.a.close();
  handlers.b.close();
  process.exit(0);
});
process.send!({ a: handlers.a.url, b: handlers.b.url });
