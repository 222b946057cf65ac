/**
 * event.offline.get / clear / error / list: an application reads the events it bound offline
 * (event.bind with event_type=offline), queued on the portal by events/offline-queue.ts.
 * Administrators only (ACCESS_DENIED), in an application's context (a webhook is WRONG_AUTH_TYPE).
 * The queue is divided by source key: a call reads the rows of the auth_connector it passes ('' when none).
 */
import crypto from 'node:crypto';
import { defineMethod, Page } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c, Codec } from '../../rest/schema.ts';
import { list as readList, obj, pick } from '../../rest/params.ts';
import { runAction } from '../../domain/action.ts';
import { parseTaskDate, isoDate } from '../../wire/dates.ts';
import {
  clearOffline, failOffline, listOffline, takeOffline, OFFLINE_FIELDS,
  type OfflineCondition, type OfflineField, type OfflineOrder, type OfflineRecord,
} from '../../events/offline-queue.ts';
import type { App } from '../../domain/types.ts';
import { callingApp } from '../codecs/bots.ts';

/** event.offline.list's fixed page (event-offline-list.md). */
const LIST_PAGE = 50;
/** event.offline.get's `limit`: 50 when not given; at most this many per call (a size cap before work). */
const MAX_TAKE = 1000;

/** The calling app, when its user is an administrator (the methods' only documented error). */
const adminApp = () => callingApp().map((app, ctx): App => (ctx.user.is_admin ? app : fail('ACCESS_DENIED')));

const OPS = ['>=', '<=', '!=', '=', '!', '>', '<'] as const;

// A filter value as its column holds it: dates as ms, ERROR and ID as numbers.
function filterValue(field: OfflineField, v: unknown): string | number {
  if (field === 'TIMESTAMP_X') return parseTaskDate(v) ?? fail('WRONG_REQUEST', `Invalid date for TIMESTAMP_X: ${String(v)}`);
  if (field === 'ID' || field === 'ERROR') return Math.trunc(Number(v)) || 0;
  return String(v ?? '');
}

/** `filter` as the docs write it (the operation before the field name: `>=ID`), over `fields`; an unknown field is WRONG_REQUEST. */
function filterOf(fields: readonly OfflineField[]): Codec<OfflineCondition[]> {
  return new Codec('object', (p, name) => {
    const out: OfflineCondition[] = [];
    for (const [key, raw] of Object.entries(obj(p, name))) {
      const op = OPS.find((o) => key.startsWith(o)) ?? '';
      const field = key.slice(op.length).trim().toUpperCase() as OfflineField;
      if (!fields.includes(field)) fail('WRONG_REQUEST', `Unknown filter field: ${key}`);
      const values = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : undefined;
      out.push({
        field, op: op === '' ? '=' : op === '!=' ? '!' : op,
        value: values ? values.map((v) => filterValue(field, v)) : filterValue(field, raw),
      });
    }
    return out;
  });
}

/** `order` as `{FIELD: ASC|DESC}` over `fields`, or `fallback` when not given. */
function orderOf(fields: readonly OfflineField[], fallback: OfflineOrder[]): Codec<OfflineOrder[]> {
  return new Codec('object', (p, name) => {
    const given = Object.entries(obj(p, name));
    if (!given.length) return fallback;
    return given.map(([key, dir]) => {
      const field = key.trim().toUpperCase() as OfflineField;
      if (!fields.includes(field)) fail('WRONG_REQUEST', `Unknown order field: ${key}`);
      return { field, desc: String(dir).trim().toUpperCase() === 'DESC' };
    });
  });
}

/** `id` / `message_id`: a list when sent, undefined when not (then every row of the process). */
const optionalList = <T>(each: (v: unknown) => T) => new Codec<T[] | undefined>('array', (p, name) => (pick(p, name) === undefined ? undefined : readList(p, name).map(each)));

const GET_FIELDS = ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'MESSAGE_ID'] as const;
const LIST_FIELDS = Object.keys(OFFLINE_FIELDS) as OfflineField[];

// event.offline.get answers a record without PROCESS_ID and ERROR.
const gotten = ({ PROCESS_ID: _p, ERROR: _e, ...r }: OfflineRecord) => ({ ...r, TIMESTAMP_X: isoDate(r.TIMESTAMP_X) });

defineMethod({
  name: 'event.offline.get', scope: null, access: 'appadmin',
  params: {
    _app: adminApp(),
    filter: filterOf(GET_FIELDS),
    order: orderOf(GET_FIELDS, [{ field: 'TIMESTAMP_X', desc: false }]),
    limit: c.int().map((v) => (v > 0 ? Math.min(v, MAX_TAKE) : 50)),
    clear: c.string().map((v) => v.trim() === '' || (v.trim() !== '0' && v.trim().toUpperCase() !== 'N')),
    process_id: c.trimmed(),
    auth_connector: c.trimmed(),
    error: c.flag(),
  },
  async handler(ctx, p) {
    const processId = p.process_id || crypto.randomBytes(16).toString('hex');
    const q = { appId: p._app.id, connector: p.auth_connector, filter: p.filter, order: p.order };
    const rows = await runAction(ctx.portal, (trx) => takeOffline(trx, q, processId, p.limit, p.error, p.clear, ctx.portal.clock.now()));
    // With clear the rows are gone: there is no batch to confirm, so no process_id.
    return { process_id: p.clear ? null : processId, events: rows.map(gotten) };
  },
});

defineMethod({
  name: 'event.offline.clear', scope: null, access: 'appadmin',
  params: {
    _app: adminApp(),
    process_id: c.requiredString('ERROR_ARGUMENT', 'process_id is required'),
    id: optionalList((v) => Math.trunc(Number(v)) || 0),
    message_id: optionalList((v) => String(v)),
  },
  async handler(ctx, { _app: app, process_id: processId, id, message_id: messageIds }) {
    await runAction(ctx.portal, (trx) => clearOffline(trx, app.id, processId, id, id ? undefined : messageIds));
    return true;
  },
});

defineMethod({
  name: 'event.offline.error', scope: null, access: 'appadmin',
  params: {
    _app: adminApp(),
    process_id: c.requiredString('ERROR_ARGUMENT', 'process_id is required'),
    message_id: optionalList((v) => String(v)),
  },
  async handler(ctx, { _app: app, process_id: processId, message_id: messageIds }) {
    await runAction(ctx.portal, (trx) => failOffline(trx, app.id, processId, messageIds));
    return true;
  },
});

defineMethod({
  name: 'event.offline.list', scope: null, access: 'appadmin',
  params: {
    _app: adminApp(),
    filter: filterOf(LIST_FIELDS),
    order: orderOf(LIST_FIELDS, [{ field: 'ID', desc: false }]),
    start: c.int().map((v) => Math.max(0, v)),
    auth_connector: c.trimmed(),
  },
  async handler(ctx, p) {
    const q = { appId: p._app.id, connector: p.auth_connector, filter: p.filter, order: p.order };
    const { rows, total } = await listOffline(ctx.portal.db, q, p.start, LIST_PAGE);
    const next = p.start + LIST_PAGE < total ? p.start + LIST_PAGE : undefined;
    return new Page(rows.map((r) => ({ ...r, TIMESTAMP_X: isoDate(r.TIMESTAMP_X) })), total, next);
  },
});
