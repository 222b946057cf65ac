/**
 * Notices, in this process, statements that may take a credential away: a token or webhook deleted
 * or changed, an app uninstalled or re-scoped, a user deactivated (src/store/write-watch.ts). It
 * watches the portal's own database handle, so every code path (sign-out, the console, uninstall, a
 * refresh that rotates a token, code written later) is covered without a call at each place.
 * Changes made by another process (the `parley` CLI, a second portal on the same PostgreSQL) are not
 * seen here: the periodic re-check in credential-watch.ts catches those, or Redis tells at once.
 */
import type { KyselyPlugin } from 'kysely';
import { watchWrites, type WriteWatcher } from '../store/write-watch.ts';

/** Per table: which updated columns matter (`*`: any). A delete always matters. */
const WATCHED = new Map<string, string[]>([
  ['tokens', ['*']],
  ['webhooks', ['*']],
  ['apps', ['installed', 'scope']],
  ['users', ['active']],
]);

/** The watcher that calls `onRevoke` after a statement that changed rows a credential depends on. */
export function revocationWatcher(onRevoke: () => void): WriteWatcher {
  return { tables: WATCHED, onWrite: onRevoke };
}

/** A Kysely plugin that calls `onRevoke` after a statement that changed rows a credential depends on. */
export function revocationHook(onRevoke: () => void): KyselyPlugin {
  return watchWrites([revocationWatcher(onRevoke)]);
}
