/**
 * Processes of the portal itself:
 *   two-nodes  im.message.add (user → group chat) against two `parley start` processes on one
 *              PostgreSQL database, half the connections each, vs all of them on one (≥ 1.6×); both
 *              processes run throughout, and the two loads alternate in slices (as in load/paired.ts)
 *   startup    spawn → banner ("Parley is running at"), printed once it listens: on a new store
 *              (migrations and the first-run seed) and again on the same store; ≤ 1 s. The baseline is
 *              a bare node:http server spawned the same way.
 */
import { spawn } from 'node:child_process';
import { runLoad } from '../load/generator.ts';
import { merge, SLICE_SECONDS } from '../load/paired.ts';
import type { LoadResult } from '../load/spec.ts';
import type { Options } from '../options.ts';
import { freshStore, type Dialect } from '../portal/database.ts';
import { groupChat } from '../portal/fixtures.ts';
import { hookOf, seedStore } from '../portal/seed.ts';
import { spawnPortal, type PortalProcess } from '../portal/spawn.ts';
import { summarize } from '../clients/latency.ts';
import type { Row } from '../table.ts';
import { postSpec } from './rest-rows.ts';
import type { Scenario } from './scenario.ts';

const twoNodes: Scenario = {
  name: 'two-nodes',
  what: 'im.message.add on two portal processes sharing one PostgreSQL vs one process (≥ 1.6×)',
  dialects: ['postgres'],
  async run(dialect: Dialect, opts: Options): Promise<Row[]> {
    const store = await freshStore(dialect);
    const nodes: PortalProcess[] = [];
    try {
      const seeded = await seedStore(store, 10);
      nodes.push(await spawnPortal(store), await spawnPortal(store));
      const chatId = await groupChat(hookOf(nodes[0].url, seeded.users[0]), 'Bench group', seeded.users.map((u) => u.id));
      const body = new URLSearchParams({ DIALOG_ID: `chat${chatId}`, MESSAGE: 'bench message' }).toString();
      const spec = (node: PortalProcess, connections: number) => ({ ...postSpec(opts, `${hookOf(node.url, seeded.users[0])}im.message.add`, body), connections });
      const half = Math.ceil(opts.connections / 2);
      const slices = Math.max(1, Math.round(opts.seconds / SLICE_SECONDS));
      const ones: LoadResult[] = [];
      const twos: LoadResult[][] = [[], []];
      for (let i = 0; i < slices; i++) {
        const warmupSeconds = i === 0 ? opts.warmupSeconds : 0;
        const slice = (node: PortalProcess, connections: number) => ({ ...spec(node, connections), seconds: Math.min(SLICE_SECONDS, opts.seconds), warmupSeconds });
        ones.push(...(await runLoad([slice(nodes[0], opts.connections)])));
        (await runLoad(nodes.map((n) => slice(n, half)))).forEach((r, k) => twos[k].push(r));
      }
      const one = merge(ones);
      const two = twos.map(merge);
      const bad = [one, ...two].filter((r) => r.errors || r.non2xx);
      return [{
        scenario: 'two-nodes', name: 'im.message.add req/s, 2 nodes vs 1', db: dialect, unit: 'req/s', parley: two[0].rps + two[1].rps, baseline: one.rps,
        target: { of: 'ratio', op: '>=', value: 1.6 }, warning: bad.length ? 'errors or non-2xx answers in the load' : undefined, raw: { one, two, slices: { ones, twos } },
      }];
    } finally {
      for (const n of nodes) await n.stop();
      await store.drop();
    }
  },
};

/** A bare node:http server's spawn → listening, the floor under any Node server's start. */
function bareStartMs(): Promise<number> {
  const code = "require('node:http').createServer().listen(0, '127.0.0.1', function () { console.log('ready'); this.close(); })";
  const t0 = performance.now();
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    proc.stdout.once('data', () => ok(performance.now() - t0));
    proc.once('exit', (c) => c && fail(new Error(`bare server exited ${c}`)));
  });
}

const startup: Scenario = {
  name: 'startup',
  what: 'spawn → ready to serve, on a new store and on an existing one, vs a bare node:http server (≤ 1 s)',
  async run(dialect, opts) {
    const reps = opts.short ? 1 : 3;
    const first: number[] = [];
    const again: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < reps; i++) {
      const store = await freshStore(dialect);
      try {
        for (const into of [first, again]) {
          const p = await spawnPortal(store);
          const health = await fetch(`${p.url}/health`);
          if (!health.ok) throw new Error(`/health answered ${health.status}`);
          into.push(p.startupMs);
          await p.stop();
        }
      } finally {
        await store.drop();
      }
      bare.push(await bareStartMs());
    }
    const [f, a, b] = [summarize(first), summarize(again), summarize(bare)];
    const target = { of: 'parley', op: '<=', value: 1000 } as const;
    return [
      { scenario: 'startup', name: `new store, median of ${reps}`, db: dialect, unit: 'ms', parley: f.p50, baseline: b.p50, target, raw: { first, bare } },
      { scenario: 'startup', name: `existing store, median of ${reps}`, db: dialect, unit: 'ms', parley: a.p50, baseline: b.p50, target, raw: { again, bare } },
    ];
  },
};

/** The scenarios about portal processes. */
export const nodeScenarios: Scenario[] = [twoNodes, startup];
