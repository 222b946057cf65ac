/**
 * parley.call.list (admins only, see app.ts): the REST call log of the developer console — method,
 * caller, parameters, result or error and duration — newest first, 50 per page.
 */
import { defineMethod } from '../../rest/registry.ts';
import { flag, int, str, type Params } from '../../rest/params.ts';
import { c } from '../../rest/schema.ts';
import { listCalls, type CallFilter } from '../../domain/call-log.ts';
import { handlingWindows, parseStored } from '../../domain/event-log.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';
import { admin } from '../codecs/callers.ts';
import { wireDate } from '../wire.ts';
import { logPage } from './log-page.ts';

/**
 * FILTER of parley.call.list: APP_ID, USER_ID, METHOD, ERRORS=Y (only failed calls), EVENT_ID (the
 * calls the event's app made while handling it: domain/event-log.ts handlingWindows).
 */
function callFilterOf(f: Params): CallFilter & { eventId?: number } {
  return {
    eventId: int(f, 'EVENT_ID') > 0 ? int(f, 'EVENT_ID') : undefined,
    appId: int(f, 'APP_ID') > 0 ? int(f, 'APP_ID') : undefined,
    userId: int(f, 'USER_ID') > 0 ? int(f, 'USER_ID') : undefined,
    method: str(f, 'METHOD') || undefined,
    errorsOnly: flag(f, 'ERRORS'),
  };
}

defineMethod({
  name: 'parley.call.list', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin(), FILTER: c.object().map(callFilterOf) },
  handler: async (ctx, { FILTER: { eventId, ...filter } }) => {
    // An unknown event had no handling: it matches no call.
    if (eventId !== undefined) filter.during = (await handlingWindows(ctx.portal.db, eventId)) ?? { appId: 0, windows: [] };
    return logPage(ctx, (offset, limit) => listCalls(ctx.portal.db, filter, offset, limit), (rows) => rows.map((r) => ({
    id: r.id, method: r.method, user_id: r.user_id, app_id: r.app_id, webhook_id: r.webhook_id,
    params: parseStored(r.params), status: r.status, error: r.error || false, result: parseStored(r.result),
    duration_ms: r.duration_ms, date: wireDate(r.created_at),
  })));
  },
});
