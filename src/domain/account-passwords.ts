/**
 * Changing a person's password: by themselves (/web/password, after their current one was checked
 * as a sign-in is) or by an administrator (parley.user.password.set, `parley user password`). Either
 * way the new password meets the policy (src/auth/password-policy.ts) and the person's web sign-ins
 * end with the old one: their sessions (all, or all but the browser that made the change) and every
 * token of the web messenger, so open tabs elsewhere lose their socket and their next call. The tab
 * that made the change keeps its session and fetches a new token from it (ui/src/api.ts). Tokens of
 * other apps and incoming webhooks are not passwords and stay.
 */
import type { Portal } from '../portal.ts';
import type { User } from '../store/rows.ts';
import { fail } from '../errors.ts';
import { hashPassword, HashBusyError } from '../auth/passwords.ts';
import { passwordProblem } from '../auth/password-policy.ts';
import { endSessions } from '../auth/sessions.ts';
import { revokeTokens } from '../auth/tokens.ts';
import { loginKey, resetAttempts } from '../auth/throttle.ts';
import { ensureWebApp } from './web-app.ts';
import { findUser } from './users.ts';
import { runAction } from './action.ts';

/**
 * The person whose password may be set: an active user who signs in with a login (not a bot, not an
 * open-line customer). `fail`s USER_NOT_FOUND or NO_LOGIN.
 */
export async function passwordOwner(portal: Portal, userId: number): Promise<User> {
  const user = await findUser(portal.db, userId);
  if (!user || user.is_bot || user.external_auth_id !== '') fail('USER_NOT_FOUND', `No person with ID ${userId}`);
  if (!user.login) fail('NO_LOGIN');
  return user;
}

/** `fail`s with the policy's code when `password` may not be the new password of `user`. */
export function checkNewPassword(user: Pick<User, 'login'>, password: string): void {
  const problem = passwordProblem(password, user.login);
  if (problem) fail(problem);
}

/**
 * Give `user` the new password (already checked against the policy) and end their web sign-ins but
 * the session `keep` (the cookie value of the browser that changed it; none for a reset). The
 * login's failed sign-ins are forgotten: a reset also lifts a lock.
 */
export async function replacePassword(portal: Portal, user: User, password: string, keep?: string): Promise<void> {
  checkNewPassword(user, password);
  let hash: string;
  try {
    // Hashed before the transaction: ~50 ms of scrypt holds no lock.
    hash = await hashPassword(password);
  } catch (err) {
    if (err instanceof HashBusyError) fail('SIGNIN_BUSY');
    throw err;
  }
  const web = await ensureWebApp(portal);
  await runAction(portal, async (db) => {
    await db.updateTable('users').set({ password_hash: hash }).where('id', '=', user.id).execute();
    await endSessions(db, user.id, keep);
    // Deleting token rows is what the realtime credential watch and the other nodes hear of.
    await revokeTokens(db, web.id, user.id);
  });
  if (user.login) await resetAttempts(portal.db, loginKey(user.login));
}
