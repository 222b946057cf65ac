/**
 * A portal for one scenario: a fresh store, seeded, then the portal process started on it; stopped
 * and the store dropped afterwards whatever happens.
 */
import { freshStore, type BenchStore, type Dialect } from './database.ts';
import { seedStore, type Seeded } from './seed.ts';
import { spawnPortal, type PortalProcess } from './spawn.ts';

/** What a scenario gets: the running portal and who it may act as. */
export interface PortalSession { portal: PortalProcess; store: BenchStore; seeded: Seeded }

/** Run `fn` against a fresh portal with `users` webhook users; `env` adds PARLEY_* settings. */
export async function withPortal<T>(dialect: Dialect, users: number, fn: (s: PortalSession) => Promise<T>, env: NodeJS.ProcessEnv = {}): Promise<T> {
  const store = await freshStore(dialect);
  let portal: PortalProcess | undefined;
  try {
    const seeded = await seedStore(store, users);
    portal = await spawnPortal(store, env);
    return await fn({ portal, store, seeded });
  } finally {
    await portal?.stop();
    await store.drop();
  }
}
