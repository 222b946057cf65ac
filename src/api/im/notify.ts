/**
 * im.notify.* that send and change notifications: im.notify, im.notify.personal.add,
 * im.notify.system.add, im.notify.delete, im.notify.read, im.notify.read.list, im.notify.read.all,
 * im.notify.answer and im.notify.confirm. Listing is in notify.get.ts, searching in notify.history.ts.
 */
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { has, int, pick, str, type Params } from '../../rest/params.ts';
import { c, Codec, type InputOf } from '../../rest/schema.ts';
import { parseJsonInput } from '../../wire/json-input.ts';
import { findUser } from '../../domain/users.ts';
import {
  addNotification, answerNotification, confirmNotification, deleteNotificationBy, deleteTagged,
  markAllRead, markListRead, markRead, type NotifyButton, type NotifyKind,
} from '../../domain/notifications.ts';
import { runAction } from '../../domain/action.ts';
import { attach, messageText } from '../codecs/messages.ts';

/**
 * CLIENT_ID as whose tags a call's TAG / SUB_TAG are: the calling app's, or — for a webhook — the
 * CLIENT_ID it passes (the English docs: "pass it with CLIENT_ID when calling via webhook"); ''
 * when neither.
 */
function tagScope(): Codec<string> {
  return new Codec<string>('string', (p, name, ctx) => {
    if (ctx.app) return `app:${ctx.app.id}`;
    const clientId = str(p, name).trim();
    return clientId ? `client:${clientId}` : '';
  });
}

/**
 * NOTIFY_BUTTONS, a Parley extension: the public REST has no documented way to create a
 * notification with buttons (im.notify.confirm only answers one), so a sender may pass a list of
 * {TITLE, VALUE, TYPE}; the notification is then of the CONFIRM type (notify_type 1).
 */
function buttons(): Codec<NotifyButton[]> {
  return new Codec<NotifyButton[]>('array', (p, name) => parseButtons(pick(p, name)), false, 'PARAMS_ERROR');
}

// At most ten buttons, each with a title and a value of its own; anything else is "Incorrect NOTIFY_BUTTONS".
function parseButtons(raw: unknown): NotifyButton[] {
  if (raw === undefined || raw === null || raw === '') return [];
  let value: unknown = raw;
  if (typeof raw === 'string') {
    value = parseJsonInput(raw);
    if (value === undefined) fail('PARAMS_ERROR', 'Incorrect NOTIFY_BUTTONS');
  }
  const items = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : null;
  if (!items || items.length > 10) fail('PARAMS_ERROR', 'Incorrect NOTIFY_BUTTONS');
  const out = items.map((b) => {
    const o = (b && typeof b === 'object' ? b : {}) as Params;
    return { title: str(o, 'TITLE').trim(), value: str(o, 'VALUE').trim(), type: str(o, 'TYPE').trim().toLowerCase() };
  });
  const values = new Set(out.map((b) => b.value));
  if (out.some((b) => !b.title || !b.value) || values.size !== out.length) fail('PARAMS_ERROR', 'Incorrect NOTIFY_BUTTONS');
  return out;
}

/** The parameters of the three sending methods, in the order they are checked. */
const SEND = {
  USER_ID: c.id('USER_ID_EMPTY'),
  MESSAGE: messageText().require((v) => v !== '', 'MESSAGE_EMPTY'),
  ATTACH: attach(),
  NOTIFY_BUTTONS: buttons(),
  MESSAGE_OUT: c.trimmed(),
  TAG: c.trimmed(),
  SUB_TAG: c.trimmed(),
  // NOTIFY_ANSWER=Y, a Parley extension like NOTIFY_BUTTONS: the notification takes a quick answer.
  NOTIFY_ANSWER: c.flag(),
  CLIENT_ID: tagScope(),
};

// The common body of the three sending methods; the documented answer is the new id, or false.
async function send(ctx: CallContext, input: InputOf<typeof SEND>, kind: NotifyKind): Promise<number | false> {
  const userId = input.USER_ID;
  return runAction(ctx.portal, async (trx) => {
    // "If the notification was not created, it may return false": no such (active) user.
    if (!(await findUser(trx, userId))) return false;
    return addNotification(trx, {
      userId, authorId: kind === 'system' ? 0 : ctx.user.id, appId: ctx.app?.id ?? 0, kind, text: input.MESSAGE,
      messageOut: input.MESSAGE_OUT, attach: input.ATTACH, tagScope: input.CLIENT_ID,
      tag: input.TAG, subTag: input.SUB_TAG, buttons: input.NOTIFY_BUTTONS, answerable: input.NOTIFY_ANSWER,
    });
  });
}

defineMethod({
  name: 'im.notify', scope: 'im', access: 'portal',
  params: { ...SEND, TYPE: c.choice(['USER', 'SYSTEM'], 'USER') },
  handler: (ctx, input) => send(ctx, input, input.TYPE === 'SYSTEM' ? 'system' : 'personal'),
});

defineMethod({
  name: 'im.notify.personal.add', scope: 'im', access: 'portal', params: SEND,
  handler: (ctx, input) => send(ctx, input, 'personal'),
});

defineMethod({
  name: 'im.notify.system.add', scope: 'im', access: 'portal', params: SEND,
  handler: (ctx, input) => send(ctx, input, 'system'),
});

defineMethod({
  name: 'im.notify.delete', scope: 'im', access: 'self', denied: 'PARAMS_ERROR',
  params: { CLIENT_ID: tagScope(), ID: c.int(), TAG: c.trimmed(), SUB_TAG: c.trimmed() },
  async handler(ctx, { CLIENT_ID: scope, ID: id, TAG: tag, SUB_TAG: subTag }) {
    if (id > 0) {
      // The seed's PARAMS_ERROR is "error deleting the notification": missing or not the caller's to delete.
      const gone = await runAction(ctx.portal, (trx) => deleteNotificationBy(trx, id, { userId: ctx.user.id, tagScope: scope }));
      if (!gone) fail('PARAMS_ERROR', 'Incorrect params');
      return true;
    }
    if (!tag && !subTag) fail('PARAMS_ERROR', 'Incorrect params');
    // Tags belong to an app: a webhook has to say which one with CLIENT_ID.
    if (!scope) fail('ACCESS_DENIED', 'Access denied! Client ID not specified');
    await runAction(ctx.portal, (trx) => (tag ? deleteTagged(trx, scope, 'tag', tag) : deleteTagged(trx, scope, 'sub_tag', subTag)));
    return true;
  },
});

/** ACTION: 'Y' (the default) reads; the English docs apply any other value as 'N'. */
function readAction(): Codec<boolean> {
  return new Codec<boolean>('Y/N', (p, name) => {
    const v = pick(p, name);
    return v === undefined || v === null || v === '' || String(v).toUpperCase() === 'Y' || v === true;
  });
}

/** ID of im.notify.read: undefined when absent or empty ("returns true without any changes"). */
function readFrom(): Codec<number | undefined> {
  return new Codec<number | undefined>('integer', (p, name) => {
    const raw = pick(p, name);
    return raw === undefined || raw === null || raw === '' ? undefined : int(p, name);
  });
}

defineMethod({
  name: 'im.notify.read', scope: 'im', access: 'self',
  params: { ID: readFrom(), ONLY_CURRENT: c.flag(), ACTION: readAction() },
  async handler(ctx, { ID: id, ONLY_CURRENT: onlyCurrent, ACTION: read }) {
    if (id === undefined || id < 0) return true;
    await runAction(ctx.portal, (trx) => markRead(trx, ctx.user.id, id, onlyCurrent, read));
    return true;
  },
});

/**
 * IDS of im.notify.read.list: an array (PARAMS_ERROR otherwise); "if any value in the array is
 * <= 0, processing stops at that element".
 */
function readIds(): Codec<number[]> {
  return new Codec<number[]>('array', (p, name) => {
    const raw = pick(p, name);
    if (!raw || typeof raw !== 'object') fail('PARAMS_ERROR', 'No IDS param or it is not an array');
    const ids: number[] = [];
    for (const v of Array.isArray(raw) ? raw : Object.values(raw)) {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n <= 0) break;
      ids.push(n);
    }
    return ids;
  }, true, 'PARAMS_ERROR');
}

defineMethod({
  name: 'im.notify.read.list', scope: 'im', access: 'self',
  params: { IDS: readIds(), ACTION: readAction() },
  async handler(ctx, { IDS: ids, ACTION: read }) {
    await runAction(ctx.portal, (trx) => markListRead(trx, ctx.user.id, ids, read));
    return true;
  },
});

defineMethod({
  name: 'im.notify.read.all', scope: 'im', access: 'self', params: {},
  async handler(ctx) {
    const newCounter = await runAction(ctx.portal, (trx) => markAllRead(trx, ctx.user.id));
    return { result: true, newCounter };
  },
});

/** The notification answered: the English docs name it NOTIFY_ID, the seed ID; both are read. */
function notifyId(): Codec<number> {
  return new Codec<number>('integer', (p, name) => int(p, has(p, name) ? name : 'ID')).require((id) => id > 0, 'ID_ERROR');
}

defineMethod({
  name: 'im.notify.answer', scope: 'im', access: 'self',
  params: { NOTIFY_ID: notifyId(), ANSWER_TEXT: c.requiredString('ANSWER_TEXT_ERROR') },
  async handler(ctx, { NOTIFY_ID: id, ANSWER_TEXT: text }) {
    const ok = await runAction(ctx.portal, (trx) => answerNotification(trx, ctx.user.id, id, text));
    // A notification that takes no quick answer: `result_message: false`, as documented.
    return { result_message: ok ? ['Your response has been successfully sent.'] : false };
  },
});

defineMethod({
  name: 'im.notify.confirm', scope: 'im', access: 'self',
  params: { NOTIFY_ID: notifyId(), NOTIFY_VALUE: c.requiredString('NOTIFY_VALUE_ERROR') },
  async handler(ctx, { NOTIFY_ID: id, NOTIFY_VALUE: value }) {
    const button = await runAction(ctx.portal, (trx) => confirmNotification(trx, ctx.user.id, id, value));
    return { result_message: button ? [button.title] : false };
  },
});
