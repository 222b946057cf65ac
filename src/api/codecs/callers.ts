/**
 * Who may call: a portal administrator (parley.*), the web messenger's own session (what opens apps'
 * frames), an administrator in it (the developer console), an intranet user (im.department.*), and
 * SCOPE of a new app or webhook.
 * Each reads the wire spelling once and fails with the documented code; generic codecs: src/rest/schema.ts.
 */
import { fail } from '../../errors.ts';
import { list, pick, str } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import { type User } from '../../domain/types.ts';
import { parseScopes } from '../../domain/apps.ts';
import { isWebApp } from '../../domain/web-app.ts';

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

/**
 * The web messenger's own session, or WRONG_AUTH_TYPE (access kind `messenger`): what opens another
 * app's frame — a placement's tokens, a chat app's signed USER_HASH — is asked for by the user's
 * messenger only, never by an app or a webhook acting for the user (it would act as them towards another app).
 */
export function messengerCaller(what: string): Codec<User> {
  return new Codec<User>('caller', (_p, _name, ctx) => {
    if (!ctx.app || !isWebApp(ctx.app)) fail('WRONG_AUTH_TYPE', `Only the web messenger ${what}`);
    return ctx.user;
  }, false, 'WRONG_AUTH_TYPE');
}

/**
 * An administrator in their own web messenger session (access kind `console`): WRONG_AUTH_TYPE for a
 * webhook or an app token (an administrator's included), ACCESS_DENIED for anyone else's messenger.
 * What a token could otherwise do unattended, such as setting someone's password, needs a person.
 */
export function consoleAdmin(what: string): Codec<User> {
  return new Codec<User>('caller', (_p, _name, ctx) => {
    if (!ctx.app || !isWebApp(ctx.app)) fail('WRONG_AUTH_TYPE', `Only an administrator at the developer console ${what}`);
    if (!ctx.user.is_admin) fail('ACCESS_DENIED', `Only a portal administrator ${what}`);
    return ctx.user;
  }, false, 'WRONG_AUTH_TYPE');
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
