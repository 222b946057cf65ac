/**
 * event.bind / unbind / get: an application's own event subscriptions (an OAuth token: a webhook is
 * WRONG_AUTH_TYPE). Which events exist for a scope: `events` (events.ts).
 */
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../errors.ts';
import { c } from '../rest/schema.ts';
import { runAction } from '../domain/action.ts';
import { bindableEvents, bindEvent, listEventBindings, unbindEvent } from '../domain/event-handlers.ts';
import { callingApp, handlerUrl } from './codecs/bots.ts';

defineMethod({
  name: 'event.bind', scope: null, access: 'app',
  params: {
    _app: callingApp(),
    event: c.string().map((v, ctx) => {
      const event = v.toUpperCase();
      if (!event || !bindableEvents(ctx.scopes).includes(event)) fail('ERROR_EVENT_NOT_FOUND');
      return event;
    }),
    event_type: c.string().check((v) => v.toLowerCase() !== 'offline', 'ACCESS_DENIED', 'Access denied! Offline events are not supported by this portal'),
    handler: handlerUrl('ERROR_HANDLER_URL_MISMATCH', { required: true, wrongUrl: 'Handler URL must be an absolute http(s) URL' }).map((url) => new URL(url).toString()),
    // intval() as PHP reads it: a non-numeric auth_type is 0, never NaN in the store.
    auth_type: c.int().map((v, ctx) => {
      if (v && v !== ctx.user.id && !ctx.user.is_admin) fail('ACCESS_DENIED', 'Access denied! Event binding with AUTH_TYPE requires administrator access rights');
      return v;
    }),
  },
  async handler(ctx, { _app: app, event, handler, auth_type: authType }) {
    // The duplicate check and the insert are one transaction: two binds of the same handler cannot both pass it.
    await runAction(ctx.portal, (trx) => bindEvent(trx, app.id, event, handler, authType));
    return true;
  },
});

defineMethod({
  name: 'event.unbind', scope: null, access: 'app',
  params: { _app: callingApp(), event: c.string().map((v) => v.toUpperCase()), handler: c.string() },
  async handler(ctx, { _app: app, event, handler }) {
    return { count: await runAction(ctx.portal, (trx) => unbindEvent(trx, app.id, event, handler)) };
  },
});

defineMethod({
  name: 'event.get', scope: null, access: 'app',
  params: { _app: callingApp() },
  async handler(ctx, { _app: app }) {
    const rows = await listEventBindings(ctx.portal.db, app.id);
    return rows.map((r) => ({ event: r.event, handler: r.handler, auth_type: String(r.auth_type), offline: 0 }));
  },
});
