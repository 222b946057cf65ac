/**
 * Who may call: a portal administrator (parley.*), an intranet user (im.department.*), and SCOPE of a new app or webhook.
 * Each reads the wire spelling once and fails with the documented code; generic codecs: src/rest/schema.ts.
 */
import { fail } from '../../errors.ts';
import { list, pick, str } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import { type User } from '../../domain/types.ts';
import { parseScopes } from '../../domain/apps.ts';

/**
 * The caller as a portal administrator, or ACCESS_DENIED: only an administrator may manage local
 * applications and webhooks in Bitrix24. Declare it first (as `_admin`, not a wire parameter) in
 * every parley.* schema, so that nobody else learns anything from the parameter errors.
 */
export function admin(): Codec<User> {
  return new Codec<User>('caller', (_p, _name, ctx) => {
    if (!ctx.user.is_admin) fail('ACCESS_DENIED', 'Only a portal administrator may use the developer console methods');
    return ctx.user;
  }, false, 'ACCESS_DENIED');
}

/** SCOPE of a new app or webhook: known scope names, comma-separated or a list; ERROR_ARGUMENT otherwise. */
export function scopes(): Codec<string[]> {
  return new Codec<string[]>('scope list', (p, name) => {
    const raw = Array.isArray(pick(p, name)) ? list(p, name).map(String).join(',') : str(p, name);
    const { scopes, bad } = parseScopes(raw);
    if (!scopes.length) fail('ERROR_ARGUMENT', `${name} must name at least one scope, e.g. imbot,im`);
    if (bad.length) fail('ERROR_ARGUMENT', `Unknown scope: ${bad.join(', ')}`);
    return scopes;
  }, true, 'ERROR_ARGUMENT');
}

/**
 * The caller must be an intranet user: bots (and, in Bitrix24, extranet users) may not read the
 * company structure. Reads no parameter: declare it first, under a `_` key, where Bitrix24 checks the
 * caller before the parameters (im.department.*, im.search.department.list).
 */
export function intranetCaller(): Codec<true> {
  return new Codec<true>('caller', (_p, _name, ctx) => {
    if (ctx.user.is_bot) fail('ACCESS_ERROR', 'Only intranet users have access to this method.');
    return true;
  }, false, 'ACCESS_ERROR');
}
