/**
 * The socket clients' process: it opens the WebSockets of the fan-out and idle-socket scenarios, so
 * neither the portal nor the bare ws server shares a process with its clients. Commands over IPC:
 *   {cmd:'connect', urls, concurrency}   open one socket per URL, each counted open at its first push
 *   {cmd:'fanout', trigger, body, reps}  POST `body` to `trigger`, then time until every socket heard a
 *                                        message.add push; `reps` times, one after another
 *   {cmd:'close'}                        close every socket
 */
import { WebSocket } from 'ws';
import { summarize } from './latency.ts';

let sockets: WebSocket[] = [];
/** Called with each socket's index when it hears a message.add. */
let onMessageAdd: ((i: number) => void) | undefined;
let samplePush = '';

function open(url: string, i: number): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('message', () => ok(ws));
    ws.on('message', (data) => {
      const text = String(data);
      if (!text.includes('"message.add"')) return;
      samplePush = text;
      onMessageAdd?.(i);
    });
    ws.once('unexpected-response', (_req, res) => fail(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', fail);
  });
}

async function connect(urls: string[], concurrency: number) {
  const t0 = performance.now();
  let next = 0;
  let failed = 0;
  let firstError = '';
  const opened: WebSocket[] = new Array(urls.length);
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < urls.length) {
      const i = next++;
      try {
        opened[i] = await open(urls[i], sockets.length + i);
      } catch (err) {
        failed++;
        firstError ||= String((err as Error).message);
      }
    }
  }));
  sockets = sockets.concat(opened.filter(Boolean));
  return { open: sockets.length, failed, firstError, seconds: (performance.now() - t0) / 1000 };
}

/** One broadcast: ms until the first and the last socket heard it, and how many never did. */
async function once(trigger: string, body: string, contentType: string) {
  const heard = new Set<number>();
  let first = NaN;
  let last = NaN;
  const t0 = performance.now();
  const all = new Promise<void>((done) => {
    onMessageAdd = (i) => {
      if (heard.has(i)) return;
      heard.add(i);
      const t = performance.now() - t0;
      if (heard.size === 1) first = t;
      last = t;
      if (heard.size === sockets.length) done();
    };
  });
  const res = await fetch(trigger, { method: 'POST', headers: { 'content-type': contentType }, body });
  const answer = await res.text();
  if (!res.ok || answer.includes('"error"')) throw new Error(`trigger failed: ${res.status} ${answer}`);
  await Promise.race([all, new Promise((r) => setTimeout(r, 30_000))]);
  onMessageAdd = undefined;
  return { first, last, missing: sockets.length - heard.size };
}

async function fanout(trigger: string, body: string, contentType: string, reps: number) {
  const runs = [];
  for (let i = 0; i < reps; i++) {
    runs.push(await once(trigger, body, contentType));
    await new Promise((r) => setTimeout(r, 200)); // let the previous broadcast's garbage settle
  }
  return { last: summarize(runs.map((r) => r.last)), first: summarize(runs.map((r) => r.first)), missing: runs.reduce((a, r) => a + r.missing, 0), sockets: sockets.length, samplePush };
}

async function closeAll() {
  await Promise.all(sockets.map((ws) => new Promise<void>((done) => {
    if (ws.readyState === ws.CLOSED) return done();
    ws.once('close', () => done());
    ws.close();
  })));
  sockets = [];
  return { closed: true };
}

process.on('message', async (m: any) => {
  try {
    if (m.cmd === 'connect') process.send!(await connect(m.urls, m.concurrency ?? 50));
    else if (m.cmd === 'fanout') process.send!(await fanout(m.trigger, m.body, m.contentType, m.reps));
    else if (m.cmd === 'close') process.send!(await closeAll());
  } catch (err) {
    process.send!({ error: String((err as Error).stack ?? err) });
  }
});
process.on('SIGTERM', () => process.exit(0));
process.send!({ ready: true });
