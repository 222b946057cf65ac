/** im.dialog.get, im.dialog.messages.get and im.dialog.users.list: reading a dialog the caller may see. */
import { defineMethod, Page, slice, type CallContext } from '../rest/registry.ts';
import { fail } from '../errors.ts';
import { flag, has, int, pick, str, type Params } from '../rest/params.ts';
import { openDialog } from '../domain/chats.ts';
import { findUsers } from '../domain/users.ts';
import { wireFilesOf } from '../domain/files.ts';
import { withParts } from '../domain/messages.ts';
import { membership, unreadCounters } from '../domain/read-state.ts';
import { chatMembers } from '../domain/recent.ts';
import { dialogIdFor, type Chat, type User } from '../domain/types.ts';
import type { Portal } from '../portal.ts';
import { dialogParam } from './message-input.ts';
import { wireChatDetails, wireDialogMessage } from './im.dialog.wire.ts';
import { wireUser } from './wire.ts';
import { MAX_ROW_ID } from '../store/row-id.ts';
import { runAction } from '../domain/action.ts';

/** Resolve DIALOG_ID for the caller (ACCESS_ERROR unless they may see it); opening a bot's dialog tells the bot. */
export async function dialogOf(ctx: CallContext, p: Params, mode: 'read' | 'write' = 'read'): Promise<Chat> {
  const ref = dialogParam(p);
  const chat = await runAction(ctx.portal, (trx) => openDialog(trx, ctx.user, ref, mode));
  return chat;
}

/**
 * The complete chat object of im.dialog.get as `viewer` sees it (a user, or a bot for
 * imbot.dialog.get, which answers the same object).
 */
export async function chatDetailsAs(portal: Portal, chat: Chat, viewer: User): Promise<Record<string, unknown>> {
  const db = portal.db;
  const now = Date.now();
  const [members, [counter], me] = await Promise.all([
    chatMembers(db, [chat.id]).then((m) => m.get(chat.id) ?? []),
    unreadCounters(db, viewer.id, [chat.id], now),
    membership(db, chat.id, viewer.id),
  ]);
  const startId = Number(me?.start_id ?? 0);
  const counted = await db.selectFrom('messages').select((eb) => [eb.fn.count<number>('id').as('n'), eb.fn.max<number | null>('id').as('last')])
    .where('chat_id', '=', chat.id).where('id', '>=', startId).where('created_at', '<=', now).executeTakeFirst();
  const lastId = Number(counted?.last ?? 0);
  const last = lastId ? await db.selectFrom('messages').select('author_id').where('id', '=', lastId).executeTakeFirst() : undefined;
  const names = await findUsers(db, members.map((m) => m.userId));
  return wireChatDetails(portal, chat, dialogIdFor(chat, viewer.id), {
    viewerId: viewer.id, members, counter: counter?.count ?? 0, lastReadId: Number(me?.last_read_id ?? 0),
    unreadId: counter?.firstUnreadId ?? 0, messageCount: Number(counted?.n ?? 0), names,
    lastMessage: last ? { id: lastId, authorId: last.author_id } : undefined,
  });
}

defineMethod({
  name: 'im.dialog.get', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const chat = await dialogOf(ctx, p);
    return chatDetailsAs(ctx.portal, chat, ctx.user);
  },
});

/** Documented default and maximum of LIMIT in im.dialog.messages.get. */
const MESSAGES_DEFAULT = 20;
const MESSAGES_MAX = 50;

defineMethod({
  name: 'im.dialog.messages.get', scope: 'im', access: 'read',
  async handler(ctx, p) {
    dialogParam(p);
    // The English docs' codes for a non-numeric position (the seed lists none).
    for (const [key, code, text] of [['FIRST_ID', 'FIRST_ID_STRING', "First ID can't be string"], ['LAST_ID', 'LAST_ID_STRING', "Last ID can't be string"]] as const) {
      const v = pick(p, key);
      if (v !== undefined && v !== null && v !== '' && !/^\s*\d+\s*$/.test(String(v))) fail(code, text);
    }
    // Opening a dialog with a bot for the first time is what sends it ONIMBOTJOINCHAT.
    const chat = await dialogOf(ctx, p);
    const db = ctx.portal.db;
    const requested = int(p, 'LIMIT');
    const limit = requested > 0 ? Math.min(requested, MESSAGES_MAX) : MESSAGES_DEFAULT;
    // Past the row-id range, "newer than" finds nothing and "older than" finds everything: clamp to it.
    const firstId = Math.min(int(p, 'FIRST_ID'), MAX_ROW_ID);
    const lastId = Math.min(int(p, 'LAST_ID'), MAX_ROW_ID);
    const me = await membership(db, chat.id, ctx.user.id);
    // A member added with HIDE_HISTORY sees nothing before their start; an open chat's visitor sees it all.
    const startId = Number(me?.start_id ?? 0);
    // Messages dated in the future (a type-H bot's pending answer) are not there yet.
    let q = db.selectFrom('messages').selectAll().where('chat_id', '=', chat.id).where('created_at', '<=', Date.now());
    if (startId > 0) q = q.where('id', '>=', startId);
    if (firstId > 0) q = q.where('id', '>', firstId).orderBy('id', 'asc');
    else {
      if (lastId > 0) q = q.where('id', '<', lastId);
      q = q.orderBy('id', 'desc');
    }
    const rows = await withParts(db, await q.limit(limit).execute());
    // Newest first, whichever direction was asked for.
    rows.sort((a, b) => b.id - a.id);
    const others = (await chatMembers(db, [chat.id])).get(chat.id)!.filter((m) => m.userId !== ctx.user.id);
    const readByOthers = Math.max(0, ...others.map((m) => m.lastReadId));
    const myRead = Number(me?.last_read_id ?? 0);
    // Another's message is unread while past the reader's position; one's own while nobody else has read it.
    const unread = (m: (typeof rows)[number]) => (m.author_id === ctx.user.id ? m.id > readByOthers : m.id > myRead && !!me);
    const users = await findUsers(db, rows.map((r) => r.author_id).filter((id) => id > 0));
    return {
      chat_id: chat.id,
      messages: rows.map((m) => wireDialogMessage(m, unread(m))),
      users: [...users.values()].map((u) => wireUser(ctx.portal, u)),
      files: await wireFilesOf(ctx.portal, db, rows, ctx.user),
    };
  },
});

/** Documented default and maximum page size of im.dialog.users.list. */
const USERS_DEFAULT = 50;
const USERS_MAX = 200;

// The kinds of "external" (system) users SKIP_EXTERNAL leaves out; Parley has bots among them only.
const externalType = (u: User) => (u.is_bot ? 'bot' : '');

defineMethod({
  name: 'im.dialog.users.list', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const chat = await dialogOf(ctx, p);
    const db = ctx.portal.db;
    const ids = ((await chatMembers(db, [chat.id])).get(chat.id) ?? []).map((m) => m.userId).sort((a, b) => a - b);
    const users = await findUsers(db, ids);
    let list = ids.map((id) => users.get(id)).filter((u): u is User => !!u);
    if (flag(p, 'SKIP_EXTERNAL')) {
      const keep = new Set(str(p, 'SKIP_EXTERNAL_EXCEPT_TYPES').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
      list = list.filter((u) => !externalType(u) || keep.has(externalType(u)));
    }
    const afterId = int(p, 'LAST_ID');
    if (afterId > 0) list = list.filter((u) => u.id > afterId);
    // OFFSET (English docs) or the standard `start`; LIMIT defaults to 50, at most 200.
    const offset = has(p, 'OFFSET') ? Math.max(0, int(p, 'OFFSET')) : Math.max(0, ctx.start);
    const size = int(p, 'LIMIT') > 0 ? Math.min(int(p, 'LIMIT'), USERS_MAX) : USERS_DEFAULT;
    const { page, total, next } = slice(list, offset, size);
    return new Page(page.map((u) => wireUser(ctx.portal, u)), total, next);
  },
});
