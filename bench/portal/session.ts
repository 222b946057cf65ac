/**
 * A portal for one scenario: a fresh store, seeded, then the portal process started on it; stopped
 * and the store dropped afterwards whatever happens.
 */
import { freshStore, type BenchStore, type Dialect } from './database.ts';
import { hookOf, seedStore, type Seeded } from './seed.ts';
import { spawnPortal, type PortalProcess } from './spawn.ts';
import { runOne } from '../load/generator.ts';

/**
 * A freshly started portal answers its first seconds of load slower than later (the JIT, lazily
 * loaded modules): in one run on a busy machine the first row, server.time, came out at 320 req/s
 * and at 1,542 when measured again right after (part of that gap was the machine's noise). So every
 * portal gets this much load before a scenario sees it, as one that has been up a while has had.
 */
const PORTAL_WARM_UP_SECONDS = 4;

/** What a scenario gets: the running portal and who it may act as. */
export interface PortalSession { portal: PortalProcess; store: BenchStore; seeded: Seeded }

/** Run `fn` against a fresh portal with `users` webhook users; `env` adds PARLEY_* settings. */
export async function withPortal<T>(dialect: Dialect, users: number, fn: (s: PortalSession) => Promise<T>, env: NodeJS.ProcessEnv = {}): Promise<T> {
  const store = await freshStore(dialect);
  let portal: PortalProcess | undefined;
  try {
    const seeded = await seedStore(store, users);
    portal = await spawnPortal(store, env);
    await runOne({ url: `${hookOf(portal.url, seeded.admin)}profile`, method: 'POST', body: '', connections: 8, seconds: PORTAL_WARM_UP_SECONDS, warmupSeconds: 0 });
    return await fn({ portal, store, seeded });
  } finally {
    await portal?.stop();
    await store.drop();
  }
}
