/**
 * The methods every caller has (scope `basic`): methods, scope, app.info, profile, user.current,
 * server.time, and the event subscriptions event.bind / unbind / get / events.
 */
import { allMethods, defineMethod, type CallContext } from '../rest/registry.ts';
import { fail } from '../errors.ts';
import { flag, int, pick, str, type Params } from '../rest/params.ts';
import { isoDate } from '../rest/envelope.ts';
import { KNOWN_SCOPES } from '../domain/apps.ts';
import { fullName } from '../domain/users.ts';
import { allowedHandlerUrl } from './handler-url.ts';

/** Events an app may bind with event.bind, by scope. */
export const BINDABLE_EVENTS: Record<string, string[]> = {
  basic: ['ONAPPINSTALL', 'ONAPPUNINSTALL', 'ONAPPUPDATE', 'ONAPPTEST'],
  imbot: ['ONIMBOTMESSAGEADD', 'ONIMBOTMESSAGEUPDATE', 'ONIMBOTMESSAGEDELETE', 'ONIMBOTJOINCHAT', 'ONIMBOTDELETE', 'ONIMCOMMANDADD'],
};

const available = (ctx: CallContext) => allMethods().filter((m) => !m.scope || ctx.scopes.includes(m.scope)).map((m) => m.name);

defineMethod({
  name: 'methods', scope: null, access: 'none',
  async handler(ctx, p: Params) {
    if (flag(p, 'full')) return allMethods().map((m) => m.name);
    if (pick(p, 'scope') !== undefined) {
      const scope = str(p, 'scope').toLowerCase();
      return allMethods().filter((m) => (scope ? m.scope === scope : !m.scope)).map((m) => m.name);
    }
    return available(ctx);
  },
});

defineMethod({
  name: 'scope', scope: null, access: 'none',
  async handler(ctx, p) {
    return flag(p, 'full') ? KNOWN_SCOPES : ctx.scopes;
  },
});

defineMethod({
  name: 'app.info', scope: null, access: 'none',
  async handler(ctx) {
    if (ctx.webhook) return { SCOPE: ctx.scopes, LICENSE: 'en_selfhosted' };
    const app = ctx.app;
    if (!app) fail('ACCESS_DENIED', 'Access denied! Application context required');
    return {
      ID: app.id, CODE: app.code, VERSION: app.version, STATUS: 'L', INSTALLED: !!app.installed, PAYMENT_EXPIRED: 'N',
      DAYS: null, LANGUAGE_ID: 'en', LICENSE: 'en_selfhosted', LICENSE_TYPE: 'selfhosted', LICENSE_FAMILY: 'selfhosted',
    };
  },
});

defineMethod({
  name: 'profile', scope: null, access: 'none',
  async handler(ctx) {
    const u = ctx.user;
    return { ID: String(u.id), ADMIN: !!u.is_admin, NAME: u.name, LAST_NAME: u.last_name, PERSONAL_GENDER: u.gender, TIME_ZONE: '' };
  },
});

defineMethod({
  name: 'user.current', scope: null, access: 'none',
  async handler(ctx) {
    const u = ctx.user;
    return {
      ID: String(u.id), ACTIVE: !!u.active, NAME: u.name, LAST_NAME: u.last_name, EMAIL: u.email,
      FULL_NAME: fullName(u), DATE_REGISTER: isoDate(u.created_at), IS_ONLINE: 'Y', PERSONAL_GENDER: u.gender,
      PERSONAL_BIRTHDAY: u.birthday, WORK_POSITION: u.work_position, UF_EMPLOYMENT_DATE: '',
      UF_DEPARTMENT: JSON.parse(u.departments) as number[],
    };
  },
});

defineMethod({
  name: 'server.time', scope: null, access: 'none',
  async handler() {
    return isoDate(Date.now());
  },
});

function requireApp(ctx: CallContext) {
  if (!ctx.app) fail('WRONG_AUTH_TYPE', 'Application context required');
  return ctx.app;
}


defineMethod({
  name: 'event.bind', scope: null, access: 'app',
  async handler(ctx, p) {
    const app = requireApp(ctx);
    const event = str(p, 'event').toUpperCase();
    const known = Object.entries(BINDABLE_EVENTS).filter(([s]) => s === 'basic' || ctx.scopes.includes(s)).flatMap(([, e]) => e);
    if (!event || !known.includes(event)) fail('ERROR_EVENT_NOT_FOUND');
    if (str(p, 'event_type').toLowerCase() === 'offline') fail('ACCESS_DENIED', 'Access denied! Offline events are not supported by this portal');
    const handler = new URL(await allowedHandlerUrl(ctx, str(p, 'handler'), 'ERROR_HANDLER_URL_MISMATCH', 'Handler URL must be an absolute http(s) URL')).toString();
    // intval() as PHP reads it: a non-numeric auth_type is 0, never NaN in the store.
    const authType = int(p, 'auth_type');
    if (authType && authType !== ctx.user.id && !ctx.user.is_admin) fail('ACCESS_DENIED', 'Access denied! Event binding with AUTH_TYPE requires administrator access rights');
    const db = ctx.portal.db;
    const dup = await db.selectFrom('event_handlers').select('id').where('app_id', '=', app.id).where('event', '=', event).where('handler', '=', handler).executeTakeFirst();
    if (dup) fail('ERROR_HANDLER_ALREADY_EXIST');
    await db.insertInto('event_handlers').values({ app_id: app.id, event, handler, auth_type: authType, created_at: Date.now() }).execute();
    return true;
  },
});

defineMethod({
  name: 'event.unbind', scope: null, access: 'app',
  async handler(ctx, p) {
    const app = requireApp(ctx);
    const event = str(p, 'event').toUpperCase();
    const handler = str(p, 'handler');
    let q = ctx.portal.db.deleteFrom('event_handlers').where('app_id', '=', app.id).where('event', '=', event);
    if (handler) q = q.where('handler', '=', handler);
    const res = await q.executeTakeFirst();
    return { count: Number(res.numDeletedRows) };
  },
});

defineMethod({
  name: 'event.get', scope: null, access: 'app',
  async handler(ctx) {
    const app = requireApp(ctx);
    const rows = await ctx.portal.db.selectFrom('event_handlers').selectAll().where('app_id', '=', app.id).orderBy('id').execute();
    return rows.map((r) => ({ event: r.event, handler: r.handler, auth_type: String(r.auth_type), offline: 0 }));
  },
});

defineMethod({
  name: 'events', scope: null, access: 'none',
  async handler(ctx, p) {
    const scope = str(p, 'scope').toLowerCase();
    if (scope) return BINDABLE_EVENTS[scope] ?? [];
    const scopes = flag(p, 'full') ? Object.keys(BINDABLE_EVENTS) : ['basic', ...ctx.scopes];
    return [...new Set(scopes.flatMap((s) => BINDABLE_EVENTS[s] ?? []))];
  },
});
