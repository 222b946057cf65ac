/**
 * imopenlines.session.*: open a customer's conversation by USER_CODE, start a session by hand, join
 * it, intercept it from another operator, pin it, silent mode, the session's history and the
 * supervisor's rating. What each means in Parley: docs/OPEN-LINES.md "Acting on sessions".
 */
import { fail } from '../../errors.ts';
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { findChat, memberIds } from '../../domain/chats.ts';
import { findUsers } from '../../domain/users.ts';

import {
  chatByUserCode, currentSession, headVote, joinSession, lineIdOfChat, mayActOnLine, mayVoteHead, pinAll, pinSession, setSilent, startByHand,
} from '../../domain/lines/operations.ts';
import { intercept } from '../../domain/lines/routing.ts';
import { findSession, lastSession, sessionsOfChat, type Session } from '../../domain/lines/sessions.ts';
import type { Chat } from '../../domain/types.ts';
import { lineChat, sessionId } from '../codecs/line-sessions.ts';
import { wireChat, wireDate, wireUser } from '../wire.ts';

const DENIED = 'You cannot open this conversation as you do not have sufficient permissions';

defineMethod({
  name: 'imopenlines.session.open', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { USER_CODE: c.trimmed() },
  async handler(ctx, { USER_CODE: code }) {
    // No chat for the code, or one the caller may not act on: the same refusal (nothing is created).
    const chat = await chatByUserCode(ctx.portal.db, code);
    if (!chat || !(await mayActOnLine(ctx.portal.db, ctx.user, lineIdOfChat(chat)))) fail('ACCESS_DENIED', DENIED);
    return { chatId: chat.id };
  },
});

defineMethod({
  name: 'imopenlines.session.start', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat() },
  handler: (ctx, { CHAT_ID: chat }) => runAction(ctx.portal, async (trx) => {
    await startByHand(ctx.portal, trx, chat, ctx.user);
    return true;
  }),
});

defineMethod({
  name: 'imopenlines.session.join', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat() },
  handler: (ctx, { CHAT_ID: chat }) => runAction(ctx.portal, async (trx) => {
    await joinSession(ctx.portal, trx, chat, ctx.user);
    return true;
  }),
});

defineMethod({
  name: 'imopenlines.session.intercept', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat('CHAT_ID_EMPTY') },
  handler: (ctx, { CHAT_ID: chat }) => runAction(ctx.portal, async (trx) => {
    const s = await currentSession(trx, chat).catch(() => fail('OPERATOR_WRONG', 'You can not redirect to this operator'));
    if (!(await intercept(ctx.portal, trx, s, ctx.user))) fail('OPERATOR_WRONG', 'You can not redirect to this operator');
    return true;
  }),
});

defineMethod({
  name: 'imopenlines.session.mode.pin', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat('CHAT_ID_EMPTY'), ACTIVATE: c.flag(true) },
  handler: (ctx, { CHAT_ID: chat, ACTIVATE: pin }) => runAction(ctx.portal, async (trx) => {
    await pinSession(trx, await currentSession(trx, chat), pin);
    return true;
  }),
});

defineMethod({
  name: 'imopenlines.session.mode.pinAll', scope: 'imopenlines', access: 'self',
  params: {},
  handler: (ctx) => runAction(ctx.portal, (trx) => pinAll(trx, ctx.user.id, true)),
});

defineMethod({
  name: 'imopenlines.session.mode.unpinAll', scope: 'imopenlines', access: 'self',
  params: {},
  handler: (ctx) => runAction(ctx.portal, (trx) => pinAll(trx, ctx.user.id, false)),
});

defineMethod({
  name: 'imopenlines.session.mode.silent', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  // Y turns it on; any other value (or none) off.
  params: { CHAT_ID: lineChat(), ACTIVATE: c.trimmed().map((v) => v.toUpperCase() === 'Y', 'Y/N') },
  handler: (ctx, { CHAT_ID: chat, ACTIVATE: on }) => runAction(ctx.portal, async (trx) => {
    await setSilent(trx, chat, on);
    return true;
  }),
});

defineMethod({
  name: 'imopenlines.session.head.vote', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: {
    SESSION_ID: sessionId('EMPTY_SESSION_ID'),
    RATING: c.optional(c.int().map((v) => Math.min(5, Math.max(1, v)))),
    COMMENT: c.optional(c.string()),
  },
  handler: (ctx, { SESSION_ID: id, RATING: rating, COMMENT: comment }) => runAction(ctx.portal, async (trx) => {
    if (rating === undefined && !comment) fail('EMPTY_VOTE_PARAMS');
    const s = await findSession(trx, id);
    if (!s || !mayVoteHead(ctx.user)) fail('ACCESS_DENIED', DENIED);
    await headVote(trx, s, rating, comment);
    return true;
  }),
});

/** snake_case keys of a wire object as history.get spells them (camelCase). */
function camel(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase()), v]));
}

/** The session `s` of `chat` as imopenlines.session.history.get answers it. */
async function history(ctx: CallContext, chat: Chat, s: Session): Promise<Record<string, unknown>> {
  const db = ctx.portal.db;
  const sessions = await sessionsOfChat(db, chat.id);
  const next = sessions.find((x) => x.id > s.id);
  let q = db.selectFrom('messages').selectAll().where('chat_id', '=', chat.id).where('created_at', '>=', s.created_at).where('deleted', '=', 0);
  if (next) q = q.where('created_at', '<', next.created_at);
  const messages = await q.orderBy('id', 'desc').limit(1000).execute();
  const links = messages.length
    ? await db.selectFrom('ol_message_links').select(['message_id', 'ext_ids']).where('message_id', 'in', messages.map((m) => m.id)).execute()
    : [];
  const mids = new Map(links.map((l) => [Number(l.message_id), (JSON.parse(l.ext_ids || '[]') as unknown[]).map(String)]));
  const files = messages.length
    ? await db.selectFrom('message_files').select(['message_id', 'file_id']).where('message_id', 'in', messages.map((m) => m.id)).execute()
    : [];
  const members = await memberIds(db, chat.id);
  const users = await findUsers(db, [...new Set([...members, ...messages.map((m) => m.author_id).filter(Boolean)])]);
  const dialog = `chat${chat.id}`;
  const message: Record<string, unknown> = {};
  for (const m of messages) {
    const params: Record<string, unknown> = {};
    if (mids.get(m.id)?.length) params.connectorMid = mids.get(m.id);
    const fileIds = files.filter((f) => Number(f.message_id) === m.id).map((f) => Number(f.file_id));
    if (fileIds.length) params.fileId = fileIds;
    message[String(m.id)] = {
      id: String(m.id), chatid: String(chat.id), senderid: String(m.author_id), recipientid: dialog, date: wireDate(m.created_at),
      text: m.text, textlegacy: m.text, params: Object.keys(params).length ? params : [],
    };
  }
  const userObjects = Object.fromEntries([...users.values()].map((u) => {
    const w = camel(wireUser(ctx.portal, u));
    return [String(u.id), { ...w, id: String(u.id), profile: '', externalAuthId: w.externalAuthId, services: null, botData: null, phoneDevice: false, phones: false }];
  }));
  const canAct = await mayActOnLine(db, ctx.user, s.line_id);
  const wc = wireChat(ctx.portal, chat, dialog);
  return {
    chatId: chat.id,
    canJoin: canAct && !members.includes(ctx.user.id) ? 'Y' : 'N',
    canVoteHead: mayVoteHead(ctx.user) ? 'Y' : 'N',
    sessionId: s.id,
    sessionVoteHead: s.vote_head,
    sessionCommentHead: s.comment_head || null,
    userId: dialog,
    message,
    usersMessage: { [dialog]: messages.map((m) => String(m.id)) },
    users: userObjects,
    openlines: { canvoteashead: { [String(s.line_id)]: mayVoteHead(ctx.user) } },
    userInGroup: [],
    woUserInGroup: [],
    chat: {
      [String(chat.id)]: {
        id: String(chat.id), parentChatId: 0, parentMessageId: 0, name: chat.title, owner: String(chat.owner_id), color: wc.color, extranet: false,
        avatar: wc.avatar, call: '0', callNumber: '', entityType: chat.entity_type, entityId: chat.entity_id, entityData1: chat.entity_data_1,
        entityData2: chat.entity_data_2, entityData3: chat.entity_data_3, messageCount: messages.length, public: '',
        muteList: Object.fromEntries(members.map((id) => [String(id), false])), managerList: chat.owner_id ? [chat.owner_id] : [],
        dateCreate: wireDate(chat.created_at), type: 'lines', entityLink: { type: chat.entity_type, url: '', id: chat.entity_id },
        permissions: { manageUsersAdd: 'member', manageUsersDelete: 'manager', manageUi: 'member', manageSettings: 'owner', manageMessages: 'member', canPost: 'member' },
        textFieldEnabled: true, backgroundId: null, messageType: 'L', isNew: false,
      },
    },
    userBlockChat: { [String(chat.id)]: Object.fromEntries(members.map((id) => [String(id), false])) },
    userInChat: members.length ? { [String(chat.id)]: members } : [],
    files: [],
  };
}

defineMethod({
  name: 'imopenlines.session.history.get', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { SESSION_ID: c.int(), CHAT_ID: c.int() },
  async handler(ctx, { SESSION_ID: sid, CHAT_ID: chatId }) {
    const db = ctx.portal.db;
    if (sid <= 0 && chatId <= 0) fail('MISSING_REQUIRED_PARAM');
    const s = sid > 0 ? await findSession(db, sid) : await lastSession(db, chatId);
    if (!s && sid <= 0) fail('INVALID_SESSION_ID');
    const chat = s ? await findChat(db, s.chat_id) : undefined;
    // A session not found and one the caller may not see answer alike.
    if (!s || !chat || (chatId > 0 && chat.id !== chatId)) fail('ACCESS_DENIED', DENIED);
    if (!(await mayActOnLine(db, ctx.user, lineIdOfChat(chat))) && !(await memberIds(db, chat.id)).includes(ctx.user.id)) fail('ACCESS_DENIED', DENIED);
    return history(ctx, chat, s);
  },
});

