/**
 * im.notify.history.search: finding notifications in a user's history by text, type, date and
 * author. Parley's notifications are all of one type (notify.schema.ts).
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c, parseInput, type InputOf } from '../../rest/schema.ts';
import { searchNotifications } from '../../domain/notifications.ts';
import { authors, NO_CHAT, pageLimit, wireNotification } from './notify.get.ts';
import { NOTIFY_MODULE, NOTIFY_TYPE } from './notify.schema.ts';
import { position } from '../codecs/lists.ts';

// The day (or instant) an ISO 8601 date names, in its own offset; null when it is not a date.
function dayOf(raw: string): [number, number] | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(raw.trim());
  if (!m) return null;
  const start = Date.parse(`${m[1]}T00:00:00${m[2] ?? 'Z'}`);
  return Number.isNaN(start) ? null : [start, start + 86_400_000];
}

/** The filters besides the text; none of them fails. */
const FILTERS = {
  SEARCH_TYPE: c.trimmed(),
  SEARCH_TYPES: c.list(),
  SEARCH_DATE: c.string(),
  SEARCH_DATE_FROM: c.string(),
  SEARCH_DATE_TO: c.string(),
  SEARCH_AUTHORS: c.list().map((ids) => ids.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0), 'array'),
};

/** What the filters ask for: SEARCH_DATE (one day), or SEARCH_DATE_FROM with SEARCH_DATE_TO (both days included). */
function filterOf(f: InputOf<typeof FILTERS>) {
  let range: [number, number] | null;
  if (f.SEARCH_DATE) range = dayOf(f.SEARCH_DATE);
  else {
    const from = dayOf(f.SEARCH_DATE_FROM);
    const to = dayOf(f.SEARCH_DATE_TO);
    range = from && to ? [from[0], to[1]] : null;
  }
  const given = !!f.SEARCH_TYPE || f.SEARCH_TYPES.length > 0 || !!range || f.SEARCH_AUTHORS.length > 0;
  return { type: f.SEARCH_TYPE, types: f.SEARCH_TYPES, range, authors: f.SEARCH_AUTHORS, given };
}

// A type filter is `MODULE` or `MODULE|EVENT`; Parley's notifications are all of one type.
const isOurType = (t: unknown) => [NOTIFY_MODULE, NOTIFY_TYPE].includes(String(t).trim().toLowerCase());

defineMethod({
  name: 'im.notify.history.search', scope: 'im', access: 'self',
  params: {
    ...FILTERS,
    // Without any other filter the text must have three characters at least.
    SEARCH_TEXT: c.trimmed().map(async (text, ctx, p) => {
      if (!filterOf(await parseInput(FILTERS, p, ctx)).given && [...text].length < 3) fail('SEARCH_TEXT_ERROR');
      return text;
    }),
    LAST_ID: position('LAST_ID_STRING'),
    LIMIT: pageLimit(),
    GROUP_TAG: c.trimmed(),
    CONVERT_TEXT: c.flag(),
  },
  async handler(ctx, input) {
    const f = filterOf(input);
    const typeMatches = (!f.type || isOurType(f.type)) && (!f.types.length || f.types.some(isOurType));
    const found = await searchNotifications(ctx.portal.db, ctx.user.id, {
      text: input.SEARCH_TEXT.toLowerCase(), typeMatches, range: f.range, authors: f.authors, groupTag: input.GROUP_TAG,
    }, input.LIMIT, input.LAST_ID ?? 0);
    const notifications = found.rows.map((n) => wireNotification(n, input.CONVERT_TEXT));
    const users = await authors(ctx, found.rows);
    // "total_results is returned only on the first page of the search."
    if (input.LAST_ID !== undefined) return { chat_id: NO_CHAT, notifications, users };
    return { chat_id: NO_CHAT, total_results: found.total, notifications, users };
  },
});
