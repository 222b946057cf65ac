/**
 * Sign-in with a login and password, shared by /web/login, /oauth/authorize/ and the check of the
 * current password before a change (/web/password): paced per client address (signin-pace.ts),
 * throttled per login and per address (throttle.ts), and doing the same work — one scrypt hash —
 * whether the login exists or not, so neither the answer nor its time tells which logins exist.
 */
import type { Portal } from '../portal.ts';
import type { User } from '../store/rows.ts';
import type { ErrorCode } from '../errors.ts';
import { checkPassword, HashBusyError } from './passwords.ts';
import { addressKey, claimAttempt, loginKey, resetAttempts, uncountAttempt, type Claim, type ThrottleLimits } from './throttle.ts';
import { claimPace, paceKey, uncountPace, type Pace } from './signin-pace.ts';

/** The errors a sign-in answers with (their statuses and texts are in the catalogue, src/errors.ts). */
export type SignInError = Extract<ErrorCode, 'WRONG_CREDENTIALS' | 'TOO_MANY_ATTEMPTS' | 'SIGNIN_BUSY'>;

/** The outcome of a sign-in: the user, or an error with the seconds to wait before retrying. */
export type SignInResult = { ok: true; user: User } | { ok: false; error: SignInError; retryAfterS?: number };

// Longer passwords are never right (none can be set through the portal's forms at that length in
// practice) and are not worth hashing in full: they are checked as the empty password, same work.
const MAX_PASSWORD = 1024;

function limits(portal: Portal, perAddress: boolean): ThrottleLimits {
  const c = portal.config;
  return {
    maxFailures: perAddress ? c.signinAddressMaxFailures : c.signinMaxFailures,
    lockMs: c.signinLockMs, maxLockMs: c.signinMaxLockMs, windowMs: c.signinWindowMs,
  };
}

function pace(portal: Portal): Pace {
  return { burst: portal.config.signinAddressBurst, intervalMs: portal.config.signinAddressPaceMs };
}

function refused(claim: Claim & { ok: false }): SignInResult {
  return { ok: false, error: 'TOO_MANY_ATTEMPTS', retryAfterS: Math.ceil(claim.retryAfterMs / 1000) };
}

/** Check a login and password from `address` (the request's remote address). */
export async function signIn(portal: Portal, login: string, password: string, address: string | undefined): Promise<SignInResult> {
  const db = portal.db;
  const paced = paceKey(address);
  const addr = addressKey(address);
  const account = loginKey(login);
  const addrLimits = limits(portal, true);
  // Locks run out on the portal's clock, like every other expiry.
  const now = portal.clock.now();
  // A fast guesser is slowed first (seconds), then locked out by the counts (minutes).
  const byPace = await claimPace(db, paced, pace(portal), now);
  if (!byPace.ok) return refused(byPace);
  const byAddress = await claimAttempt(db, addr, addrLimits, now);
  if (!byAddress.ok) return refused(byAddress);
  // Keyed by the login as typed, existing or not: a lock tells nothing about which logins exist.
  const byLogin = await claimAttempt(db, account, limits(portal, false), now);
  if (!byLogin.ok) return refused(byLogin);

  const user = login
    ? await db.selectFrom('users').selectAll().where('login', '=', login).where('active', '=', 1).executeTakeFirst()
    : undefined;
  const usable = user && !user.is_bot && password.length <= MAX_PASSWORD ? user : undefined;
  let ok: boolean;
  try {
    // Unknown, inactive and bot logins are checked against a dummy hash: the same one scrypt.
    ok = await checkPassword(usable ? password : '', usable?.password_hash ?? null);
  } catch (err) {
    if (!(err instanceof HashBusyError)) throw err;
    // Refused before any check: the attempt does not count against the login or the address.
    await uncountAttempt(db, account, limits(portal, false));
    await uncountAttempt(db, addr, addrLimits);
    await uncountPace(db, paced, pace(portal));
    return { ok: false, error: 'SIGNIN_BUSY', retryAfterS: 1 };
  }
  if (!ok || !usable) return { ok: false, error: 'WRONG_CREDENTIALS' };
  await resetAttempts(db, account);
  // A success is not a failure of its address; the address keeps its other failures.
  await uncountAttempt(db, addr, addrLimits);
  await uncountPace(db, paced, pace(portal));
  return { ok: true, user: usable };
}
