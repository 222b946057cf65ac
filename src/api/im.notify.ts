/**
 * im.notify.* that send and change notifications: im.notify, im.notify.personal.add,
 * im.notify.system.add, im.notify.delete, im.notify.read, im.notify.read.list, im.notify.read.all,
 * im.notify.answer and im.notify.confirm. Listing is in im.notify.get.ts.
 */
import { defineMethod, type CallContext } from '../rest/registry.ts';
import { fail } from '../errors.ts';
import { flag, int, list, pick, str, type Params } from '../rest/params.ts';
import { normalizeAttach } from '../format/attach.ts';
import { findUser } from '../domain/users.ts';
import { parseJsonInput } from '../wire/json-input.ts';
import {
  addNotification, answerNotification, confirmNotification, deleteNotification, deleteTagged, findNotification,
  markAllRead, markListRead, markRead, mayDelete, type NotifyButton, type NotifyKind,
} from '../domain/notifications.ts';
import { capMessage } from './message-input.ts';
import { runAction } from '../domain/action.ts';

/**
 * Whose tags a call's TAG / SUB_TAG are: the calling app's, or — for a webhook — the CLIENT_ID it
 * passes (the English docs: "pass it with CLIENT_ID when calling via webhook"); '' when neither.
 */
export function tagScopeOf(ctx: CallContext, p: Params): string {
  if (ctx.app) return `app:${ctx.app.id}`;
  const clientId = str(p, 'CLIENT_ID').trim();
  return clientId ? `client:${clientId}` : '';
}

// Bitrix24 checks `!empty(ATTACH)`: SDKs send '' or [] for an absent attachment (the seed's own example does).
function attachParam(raw: unknown): unknown[] | null {
  if (raw === undefined || raw === null || raw === '' || raw === '0' || raw === 0 || raw === false) return null;
  if (typeof raw === 'object' && Object.keys(raw).length === 0) return null;
  return normalizeAttach(raw);
}

/**
 * NOTIFY_BUTTONS, a Parley extension: the public REST has no documented way to create a
 * notification with buttons (im.notify.confirm only answers one), so a sender may pass a list of
 * {TITLE, VALUE, TYPE}; the notification is then of the CONFIRM type (notify_type 1).
 */
function buttonsParam(p: Params): NotifyButton[] {
  const raw = pick(p, 'NOTIFY_BUTTONS');
  if (raw === undefined || raw === null || raw === '') return [];
  let value: unknown = raw;
  if (typeof raw === 'string') {
    value = parseJsonInput(raw);
    if (value === undefined) fail('PARAMS_ERROR', 'Incorrect NOTIFY_BUTTONS');
  }
  const items = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : null;
  if (!items || items.length > 10) fail('PARAMS_ERROR', 'Incorrect NOTIFY_BUTTONS');
  const buttons = items.map((b) => {
    const o = (b && typeof b === 'object' ? b : {}) as Params;
    return { title: str(o, 'TITLE').trim(), value: str(o, 'VALUE').trim(), type: str(o, 'TYPE').trim().toLowerCase() };
  });
  const values = new Set(buttons.map((b) => b.value));
  if (buttons.some((b) => !b.title || !b.value) || values.size !== buttons.length) fail('PARAMS_ERROR', 'Incorrect NOTIFY_BUTTONS');
  return buttons;
}

// The common body of the three sending methods; the documented answer is the new id, or false.
async function send(ctx: CallContext, p: Params, kind: NotifyKind): Promise<number | false> {
  const userId = int(p, 'USER_ID');
  if (userId <= 0) fail('USER_ID_EMPTY');
  const text = capMessage(str(p, 'MESSAGE').trim());
  if (!text) fail('MESSAGE_EMPTY');
  const attach = attachParam(pick(p, 'ATTACH'));
  const buttons = buttonsParam(p);
  // "If the notification was not created, it may return false": no such (active) user.
  if (!(await findUser(ctx.portal.db, userId))) return false;
  return runAction(ctx.portal, (trx) => addNotification(trx, {
    userId, authorId: kind === 'system' ? 0 : ctx.user.id, appId: ctx.app?.id ?? 0, kind, text,
    messageOut: str(p, 'MESSAGE_OUT').trim(), attach, tagScope: tagScopeOf(ctx, p),
    tag: str(p, 'TAG').trim(), subTag: str(p, 'SUB_TAG').trim(), buttons,
    // NOTIFY_ANSWER=Y, a Parley extension like NOTIFY_BUTTONS: the notification takes a quick answer.
    answerable: flag(p, 'NOTIFY_ANSWER'),
  }));
}

defineMethod({
  name: 'im.notify', scope: 'im', access: 'portal',
  handler: (ctx, p) => send(ctx, p, str(p, 'TYPE').trim().toUpperCase() === 'SYSTEM' ? 'system' : 'personal'),
});

defineMethod({ name: 'im.notify.personal.add', scope: 'im', access: 'portal', handler: (ctx, p) => send(ctx, p, 'personal') });

defineMethod({ name: 'im.notify.system.add', scope: 'im', access: 'portal', handler: (ctx, p) => send(ctx, p, 'system') });

defineMethod({
  name: 'im.notify.delete', scope: 'im', access: 'self', denied: 'PARAMS_ERROR',
  async handler(ctx, p) {
    const db = ctx.portal.db;
    const scope = tagScopeOf(ctx, p);
    const id = int(p, 'ID');
    if (id > 0) {
      const n = await findNotification(db, id);
      // The seed's PARAMS_ERROR is "error deleting the notification": missing or not the caller's to delete.
      if (!n || !mayDelete(n, { userId: ctx.user.id, tagScope: scope })) fail('PARAMS_ERROR', 'Incorrect params');
      await deleteNotification(db, id);
      return true;
    }
    const tag = str(p, 'TAG').trim();
    const subTag = str(p, 'SUB_TAG').trim();
    if (!tag && !subTag) fail('PARAMS_ERROR', 'Incorrect params');
    // Tags belong to an app: a webhook has to say which one with CLIENT_ID.
    if (!scope) fail('ACCESS_DENIED', 'Access denied! Client ID not specified');
    if (tag) await deleteTagged(db, scope, 'tag', tag);
    else await deleteTagged(db, scope, 'sub_tag', subTag);
    return true;
  },
});

// ACTION: 'Y' (the default) reads; the English docs apply any other value as 'N'.
const readAction = (p: Params) => {
  const v = pick(p, 'ACTION');
  return v === undefined || v === null || v === '' || String(v).toUpperCase() === 'Y' || v === true;
};

defineMethod({
  name: 'im.notify.read', scope: 'im', access: 'self',
  async handler(ctx, p) {
    // "If ID is absent, the method returns true without any changes."
    const raw = pick(p, 'ID');
    if (raw === undefined || raw === null || raw === '') return true;
    const id = int(p, 'ID');
    if (id < 0) return true;
    await markRead(ctx.portal.db, ctx.user.id, id, flag(p, 'ONLY_CURRENT'), readAction(p));
    return true;
  },
});

defineMethod({
  name: 'im.notify.read.list', scope: 'im', access: 'self',
  async handler(ctx, p) {
    const raw = pick(p, 'IDS');
    if (!raw || typeof raw !== 'object') fail('PARAMS_ERROR', 'No IDS param or it is not an array');
    // "If any value in the array is <= 0, processing stops at that element."
    const ids: number[] = [];
    for (const v of list(p, 'IDS')) {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n <= 0) break;
      ids.push(n);
    }
    await markListRead(ctx.portal.db, ctx.user.id, ids, readAction(p));
    return true;
  },
});

defineMethod({
  name: 'im.notify.read.all', scope: 'im', access: 'self',
  async handler(ctx) {
    const newCounter = await markAllRead(ctx.portal.db, ctx.user.id);
    return { result: true, newCounter };
  },
});

// The seed names the notification ID, the English docs NOTIFY_ID; both are read.
const notifyId = (p: Params) => int(p, pick(p, 'NOTIFY_ID') !== undefined ? 'NOTIFY_ID' : 'ID');

defineMethod({
  name: 'im.notify.answer', scope: 'im', access: 'self',
  async handler(ctx, p) {
    const id = notifyId(p);
    if (id <= 0) fail('ID_ERROR');
    const text = str(p, 'ANSWER_TEXT').trim();
    if (!text) fail('ANSWER_TEXT_ERROR');
    const ok = await answerNotification(ctx.portal.db, ctx.user.id, id, text);
    // A notification that takes no quick answer: `result_message: false`, as documented.
    return { result_message: ok ? ['Your response has been successfully sent.'] : false };
  },
});

defineMethod({
  name: 'im.notify.confirm', scope: 'im', access: 'self',
  async handler(ctx, p) {
    const id = notifyId(p);
    if (id <= 0) fail('ID_ERROR');
    const value = str(p, 'NOTIFY_VALUE').trim();
    if (!value) fail('NOTIFY_VALUE_ERROR');
    const button = await confirmNotification(ctx.portal.db, ctx.user.id, id, value);
    return { result_message: button ? [button.title] : false };
  },
});
