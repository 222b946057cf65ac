/**
 * Seeding before the portal process starts, straight into its store (as the `parley` CLI commands
 * do): the portal's own first-run seed, then `count` users with an incoming webhook each, and an
 * administrator's webhook. Rows that need the portal's rules (chats, messages, bots) are made
 * through REST afterwards (fixtures.ts).
 */
import { openStore } from '../../src/store/db.ts';
import { seedPortal, createUser } from '../../src/domain/users.ts';
import { createWebhook } from '../../src/domain/apps.ts';
import type { BenchStore } from './database.ts';

/** A user the bench acts as, with its webhook code. */
export interface Actor { id: number; code: string }

/** What seedStore made. */
export interface Seeded { admin: Actor; users: Actor[] }

/** Seed the store with `count` webhook users (scopes im, imbot) besides the portal's own seed. */
export async function seedStore(store: BenchStore, count: number): Promise<Seeded> {
  const opened = await openStore({ dataDir: store.dataDir, db: store.db });
  try {
    await seedPortal(opened.db);
    return await opened.db.transaction().execute(async (trx) => {
      const admin = { id: 1, code: await createWebhook(trx, 1, ['im', 'imbot']) };
      const users: Actor[] = [];
      for (let i = 1; i <= count; i++) {
        const id = await createUser(trx, { name: 'Bench', lastName: `User ${i}` });
        users.push({ id, code: await createWebhook(trx, id, ['im', 'imbot']) });
      }
      return { admin, users };
    });
  } finally {
    await opened.close();
  }
}

/** The webhook base URL of an actor on a running portal. */
export function hookOf(portalUrl: string, actor: Actor): string {
  return `${portalUrl}/rest/${actor.id}/${actor.code}/`;
}
