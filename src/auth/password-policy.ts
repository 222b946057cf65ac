/**
 * What a new password must be, wherever one is set (the user's own change, an administrator's
 * reset, a new user from the console or the CLI): at least PASSWORD_MIN characters, at most
 * PASSWORD_MAX (checked before anything is hashed), and not the login. Sign-in checks none of this:
 * a password set before the policy still signs in.
 */
import type { ErrorCode } from '../errors.ts';

/** The fewest characters a new password may have. */
export const PASSWORD_MIN = 8;
/** The most characters a new password may have (well under sign-in's own cap, so every one set can sign in). */
export const PASSWORD_MAX = 256;

/** Why a new password is refused (the catalogue's code, src/errors.ts). */
export type PasswordProblem = Extract<ErrorCode, 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_IS_LOGIN'>;

/** What is wrong with `password` as the new password of `login`, or undefined when nothing is. */
export function passwordProblem(password: string, login: string | null | undefined): PasswordProblem | undefined {
  // Characters as people count them: an emoji is one, not two UTF-16 units.
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'PASSWORD_TOO_SHORT';
  if (length > PASSWORD_MAX) return 'PASSWORD_TOO_LONG';
  if (login && password.trim().toLowerCase() === login.trim().toLowerCase()) return 'PASSWORD_IS_LOGIN';
  return undefined;
}
