/**
 * `npm run bench`: throughput and latency of the REST hot paths, as a ratio to a bare baseline
 * measured in the same run on the same machine (a Fastify server that parses the same form body and
 * answers a small JSON envelope), so numbers compare across machines. Also the time from
 * im.message.add to the bot handler receiving ONIMBOTMESSAGEADD, and the portal's memory.
 * Nothing here asserts: it prints a table. Options: BENCH_SECONDS (default 5), BENCH_CONCURRENCY (16).
 */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.ts';
import { startPortal } from '../src/http/server.ts';
import { createWebhook } from '../src/domain/apps.ts';
import { buildQuery, parseQuery } from '../src/wire/php-query.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

interface Result { name: string; rps: number; p50: number; p99: number }

/** Run `call` from CONCURRENCY loops for SECONDS; count answers and their latencies. */
async function load(name: string, call: (i: number) => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  const until = Date.now() + SECONDS * 1000;
  let n = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < until) {
      const t0 = performance.now();
      await call(n++);
      latencies.push(performance.now() - t0);
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))];
  return { name, rps: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99) };
}

async function post(url: string, body: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const json = (await res.json()) as { error?: string };
  if (json.error) throw new Error(`${url}: ${JSON.stringify(json)}`);
  return json;
}

async function baseline(): Promise<Result> {
  const app = Fastify();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, b, done) => done(null, parseQuery(String(b))));
  app.post('/rest/echo', async (req) => ({ result: (req.body as Record<string, unknown>).MESSAGE ?? null, time: { start: Date.now() / 1000 } }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/rest/echo`;
  const r = await load('baseline: bare Fastify form POST', (i) => post(url, buildQuery({ DIALOG_ID: 3, MESSAGE: `hello ${i}` })).then(() => undefined));
  await app.close();
  return r;
}

async function main() {
  const base = await baseline();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const running = await startPortal(loadConfig({ dataDir, port: 0, host: '127.0.0.1', callLog: process.env.PARLEY_CALL_LOG !== '0' }));
  const { portal } = running;
  const hook = `${running.url}/rest/2/${await createWebhook(portal.db, 2, ['im', 'imbot'])}/`;

  // A bot handler that answers at once and records when each message's event arrived.
  const arrived = new Map<string, number>();
  const handler = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const ev = parseQuery(body) as { event?: string; data?: { PARAMS?: { MESSAGE?: string } } };
      if (ev.event === 'ONIMBOTMESSAGEADD' && ev.data?.PARAMS?.MESSAGE) arrived.set(ev.data.PARAMS.MESSAGE, performance.now());
      res.end('ok');
    });
  });
  await new Promise<void>((r) => handler.listen(0, '127.0.0.1', r));
  const handlerUrl = `http://127.0.0.1:${(handler.address() as { port: number }).port}/`;
  // A webhook-mode bot (CLIENT_ID), as a developer registers one from a script.
  const botHook = `${running.url}/rest/1/${await createWebhook(portal.db, 1, ['imbot', 'im'])}/`;
  const botId = ((await post(`${botHook}imbot.register`, buildQuery({
    CODE: 'bench', TYPE: 'B', EVENT_HANDLER: handlerUrl, CLIENT_ID: 'bench', PROPERTIES: { NAME: 'Bench' },
  }))) as { result: number }).result;

  const results: Result[] = [base];
  results.push(await load('im.message.add (user to user)', (i) => post(`${hook}im.message.add`, buildQuery({ DIALOG_ID: 3, MESSAGE: `hello ${i}` })).then(() => undefined)));
  results.push(await load('im.dialog.messages.get (20 of a long dialog)', () => post(`${hook}im.dialog.messages.get`, buildQuery({ DIALOG_ID: 3 })).then(() => undefined)));
  results.push(await load('im.counters.get', () => post(`${hook}im.counters.get`, '').then(() => undefined)));

  // Message to a bot → its handler has the event: the loop a bot developer waits on.
  const sent = new Map<string, number>();
  const toBot = await load('im.message.add to a bot (REST part)', async (i) => {
    const text = `ping ${i}`;
    sent.set(text, performance.now());
    await post(`${hook}im.message.add`, buildQuery({ DIALOG_ID: botId, MESSAGE: text }));
  });
  results.push(toBot);
  const deadline = Date.now() + 30_000;
  while (arrived.size < sent.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const delivery = [...sent].filter(([t]) => arrived.has(t)).map(([t, s]) => arrived.get(t)! - s).sort((a, b) => a - b);

  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`\n${SECONDS}s per row, ${CONCURRENCY} concurrent clients, ${os.cpus().length} CPUs, ${running.portal.store.caps.name}\n`);
  console.log('| path | req/s | ratio to baseline | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|');
  for (const r of results) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${(r.rps / base.rps).toFixed(3)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
  const q = (x: number) => delivery[Math.min(delivery.length - 1, Math.floor(delivery.length * x))] ?? NaN;
  console.log(`\nevent delivery to the bot handler: ${delivery.length}/${sent.size} arrived; p50 ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms after the call began`);
  console.log(`process RSS after the run (portal, handler and load generator together): ${rss.toFixed(0)} MiB`);
  handler.close();
  await running.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
