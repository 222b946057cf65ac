/**
 * event.bind / unbind / get: an application's own event subscriptions (an OAuth token: a webhook is
 * WRONG_AUTH_TYPE). Which events exist for a scope: `events` (events.ts). An offline binding
 * (event_type=offline, administrators only, no handler) queues the event for event.offline.*
 * (event/offline.ts, events/offline-queue.ts).
 */
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../errors.ts';
import { c, Codec } from '../rest/schema.ts';
import { str } from '../rest/params.ts';
import { runAction } from '../domain/action.ts';
import { bindableEvents, bindEvent, listEventBindings, unbindEvent } from '../domain/event-handlers.ts';
import { callingApp, handlerUrl } from './codecs/bots.ts';
import { ON_OFFLINE_EVENT } from '../events/offline-queue.ts';

const isOffline = (p: Record<string, unknown>) => str(p, 'event_type').trim().toLowerCase() === 'offline';

const onlineHandler = handlerUrl('ERROR_HANDLER_URL_MISMATCH', { required: true, wrongUrl: 'Handler URL must be an absolute http(s) URL' }).map((url) => new URL(url).toString());

/** `handler`: an online binding's absolute URL; an offline binding has none (one given is ignored, as the docs say not to send it). */
const bindHandler = new Codec<string>('URL', (p, name, ctx) => (isOffline(p) ? '' : onlineHandler.read(p, name, ctx)), true, 'ERROR_HANDLER_URL_MISMATCH');

defineMethod({
  name: 'event.bind', scope: null, access: 'app',
  params: {
    _app: callingApp(),
    event: c.string().map((v, ctx) => {
      const event = v.toUpperCase();
      if (!event || !bindableEvents(ctx.scopes).includes(event)) fail('ERROR_EVENT_NOT_FOUND');
      return event;
    }),
    event_type: c.string().map((v, ctx, p) => {
      const offline = v.trim().toLowerCase() === 'offline';
      if (offline && !ctx.user.is_admin) fail('ACCESS_DENIED', 'Access denied! Offline events binding requires administrator access rights');
      // Its own notification cannot be queued offline: nothing would ever tell about it.
      if (offline && str(p, 'event').toUpperCase() === ON_OFFLINE_EVENT) fail('ERROR_EVENT_NOT_FOUND');
      return offline;
    }),
    handler: bindHandler,
    // intval() as PHP reads it: a non-numeric auth_type is 0, never NaN in the store.
    auth_type: c.int().map((v, ctx) => {
      if (v && v !== ctx.user.id && !ctx.user.is_admin) fail('ACCESS_DENIED', 'Access denied! Event binding with AUTH_TYPE requires administrator access rights');
      return v;
    }),
    auth_connector: c.trimmed(),
    // ONOFFLINEEVENT's options.minTimeout in seconds (on-offline-event.md): 1 when not given, never below 0.
    options: c.object().map((o) => {
      const t = (o as Record<string, unknown>).minTimeout;
      return { minTimeout: t === undefined || t === '' ? 1 : Math.max(0, Math.trunc(Number(t)) || 0) };
    }),
  },
  async handler(ctx, { _app: app, event, event_type: offline, handler, auth_type: authType, auth_connector: authConnector, options }) {
    // The duplicate check and the insert are one transaction: two binds of the same handler cannot both pass it.
    await runAction(ctx.portal, (trx) => bindEvent(trx, app.id, event, handler, authType, { offline, authConnector: offline ? authConnector : '', minTimeout: options.minTimeout }));
    return true;
  },
});

defineMethod({
  name: 'event.unbind', scope: null, access: 'app',
  params: { _app: callingApp(), event: c.string().map((v) => v.toUpperCase()), handler: c.string(), event_type: c.string().map((v) => v.trim().toLowerCase() === 'offline') },
  async handler(ctx, { _app: app, event, handler, event_type: offline }) {
    return { count: await runAction(ctx.portal, (trx) => unbindEvent(trx, app.id, event, handler, offline)) };
  },
});

defineMethod({
  name: 'event.get', scope: null, access: 'app',
  params: { _app: callingApp() },
  async handler(ctx, { _app: app }) {
    const rows = await listEventBindings(ctx.portal.db, app.id);
    return rows.map((r) => ({ event: r.event, handler: r.handler, auth_type: String(r.auth_type), offline: Number(r.offline) }));
  },
});
