/**
 * im.notify.history.search and im.notify.schema.get: finding notifications in a user's history, and
 * the notification types there are to filter by. Parley's notifications all come from apps through
 * REST, so the schema has one module, `rest`, with one type, `rest|rest_notify`.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { flag, int, list, pick, str, type Params } from '../../rest/params.ts';
import { searchNotifications } from '../../domain/notifications.ts';
import { authors, NO_CHAT, wireNotification } from './notify.get.ts';

const MODULE = 'rest';
const TYPE = 'rest|rest_notify';

// The day (or instant) an ISO 8601 date names, in its own offset; null when it is not a date.
function dayOf(raw: string): [number, number] | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(raw.trim());
  if (!m) return null;
  const start = Date.parse(`${m[1]}T00:00:00${m[2] ?? 'Z'}`);
  return Number.isNaN(start) ? null : [start, start + 86_400_000];
}

// SEARCH_DATE (one day), or SEARCH_DATE_FROM with SEARCH_DATE_TO (both days included).
function rangeOf(p: Params): [number, number] | null {
  const day = str(p, 'SEARCH_DATE');
  if (day) return dayOf(day);
  const from = dayOf(str(p, 'SEARCH_DATE_FROM'));
  const to = dayOf(str(p, 'SEARCH_DATE_TO'));
  return from && to ? [from[0], to[1]] : null;
}

// A type filter is `MODULE` or `MODULE|EVENT`; Parley's notifications are all of one type.
const isOurType = (t: unknown) => [MODULE, TYPE].includes(String(t).trim().toLowerCase());

defineMethod({
  name: 'im.notify.history.search', scope: 'im', access: 'self',
  async handler(ctx, p) {
    const text = str(p, 'SEARCH_TEXT').trim();
    const type = str(p, 'SEARCH_TYPE').trim();
    const types = list(p, 'SEARCH_TYPES');
    const range = rangeOf(p);
    const authorIds = list(p, 'SEARCH_AUTHORS').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
    const hasFilter = !!type || types.length > 0 || !!range || authorIds.length > 0;
    if (!hasFilter && [...text].length < 3) fail('SEARCH_TEXT_ERROR');
    const rawLast = pick(p, 'LAST_ID');
    const given = rawLast !== undefined && rawLast !== null && rawLast !== '';
    if (given && !/^\s*\d+\s*$/.test(String(rawLast))) fail('LAST_ID_STRING');
    const lastId = given ? int(p, 'LAST_ID') : 0;
    const limit = Math.min(50, Math.max(1, int(p, 'LIMIT') || 50));
    const typeMatches = (!type || isOurType(type)) && (!types.length || types.some(isOurType));
    const found = await searchNotifications(ctx.portal.db, ctx.user.id, {
      text: text.toLowerCase(), typeMatches, range, authors: authorIds, groupTag: str(p, 'GROUP_TAG').trim(),
    }, limit, lastId);
    const convert = flag(p, 'CONVERT_TEXT');
    const page = {
      chat_id: NO_CHAT,
      notifications: found.rows.map((n) => wireNotification(n, convert)),
      users: await authors(ctx, found.rows),
    };
    // "total_results is returned only on the first page of the search."
    return given ? page : { chat_id: NO_CHAT, total_results: found.total, notifications: page.notifications, users: page.users };
  },
});

defineMethod({
  name: 'im.notify.schema.get', scope: 'im', access: 'none',
  async handler() {
    return { [MODULE]: { NAME: 'Applications', MODULE_ID: MODULE, LIST: [{ ID: TYPE, NAME: 'Notifications from applications' }] } };
  },
});
