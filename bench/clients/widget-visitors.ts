/**
 * The live-chat visitors' process (scenario `livechat-visitors`): it makes visitors through the widget
 * API, opens each one's live socket, and holds the operator's /realtime socket, so the portal shares a
 * process with none of them. One command over IPC:
 *   {cmd:'run', portal, code, operatorSocket, visitors, messages, rate}
 * Each visitor comes from an address of its own (X-Forwarded-For; the portal trusts the loopback
 * proxy), as a thousand browsers would. Visitors then write `messages` messages in all, round robin,
 * paced at `rate` per second (under the line's limit, WIDGET_LIMITS.line); each is timed from its POST
 * to the operator's socket hearing its message.add. Answers the latencies and what failed.
 */
import { WebSocket } from 'ws';
import { summarize } from './latency.ts';

interface Run { portal: string; code: string; operatorSocket: string; visitors: number; messages: number; rate: number }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const addressOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function openSocket(url: string, protocols: string[] | undefined, headers: Record<string, string>, onMessage: (text: string) => void): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(url, protocols, { perMessageDeflate: false, headers });
    ws.once('message', () => ok(ws));
    ws.on('message', (d) => onMessage(String(d)));
    ws.once('unexpected-response', (_req, res) => fail(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', fail);
  });
}

async function run(r: Run) {
  const sent = new Map<number, number>();
  // A push may be heard before the POST's answer (naming the message's id) is read: kept until it is.
  const heard = new Map<number, number>();
  const latencies: number[] = [];
  const operator = await openSocket(r.operatorSocket, undefined, {}, (text) => {
    if (!text.includes('"message.add"')) return;
    const push = JSON.parse(text) as { messageId?: number | string; data?: { messageId?: number | string } };
    const id = Number(push.messageId ?? push.data?.messageId);
    const t0 = sent.get(id);
    if (t0 !== undefined) {
      latencies.push(performance.now() - t0);
      sent.delete(id);
    } else {
      heard.set(id, performance.now());
    }
  });
  const base = `${r.portal}/widget/${r.code}`;
  const visitors: { token: string; ip: string; ws?: WebSocket }[] = [];
  let failed = 0;
  let firstError = '';
  const t0 = performance.now();
  let next = 0;
  // Visitors arrive at `rate` a second (new visitors count against the line's limit too), up to 50 at
  // once: made, then their live socket opened.
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < r.visitors) {
      const i = next++;
      const wait = t0 + (i * 1000) / r.rate - performance.now();
      if (wait > 0) await sleep(wait);
      const ip = addressOf(i + 1);
      try {
        const res = await fetch(`${base}/visitor`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: '{}' });
        if (res.status !== 200) throw new Error(`visitor: ${res.status} ${await res.text()}`);
        const { token } = (await res.json()) as { token: string };
        const ws = await openSocket(`${base.replace(/^http/, 'ws')}/live`, ['parley-widget', token], { 'x-forwarded-for': ip }, () => {});
        visitors.push({ token, ip, ws });
      } catch (err) {
        failed++;
        firstError ||= String((err as Error).message);
      }
    }
  }));
  const connectSeconds = (performance.now() - t0) / 1000;
  let refused = 0;
  const posts: Promise<void>[] = [];
  const gap = 1000 / r.rate;
  const start = performance.now();
  for (let k = 0; k < r.messages && visitors.length; k++) {
    const v = visitors[k % visitors.length];
    const wait = start + k * gap - performance.now();
    if (wait > 0) await sleep(wait);
    const at = performance.now();
    posts.push(fetch(`${base}/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${v.token}`, 'x-forwarded-for': v.ip }, body: JSON.stringify({ text: `message ${k}` }),
    }).then(async (res) => {
      if (res.status !== 200) {
        refused++;
        firstError ||= `message: ${res.status} ${await res.text()}`;
        return;
      }
      const id = Number(((await res.json()) as { id: number }).id);
      const at2 = heard.get(id);
      if (at2 !== undefined) {
        latencies.push(at2 - at);
        heard.delete(id);
      } else {
        sent.set(id, at);
      }
    }));
  }
  await Promise.all(posts);
  // Give the last pushes up to 10 s to arrive.
  for (let i = 0; i < 100 && sent.size; i++) await sleep(100);
  const missing = sent.size;
  operator.close();
  for (const v of visitors) v.ws?.terminate();
  return { latency: summarize(latencies), visitors: visitors.length, failed, refused, missing, firstError, connectSeconds };
}

process.on('message', (msg: { cmd: string } & Run) => {
  if (msg.cmd !== 'run') return;
  run(msg).then((out) => process.send!(out), (err: unknown) => process.send!({ error: String((err as Error).stack ?? err) }));
});
process.send!({ ready: true });
