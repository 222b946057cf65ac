/** im.dialog.get and im.dialog.messages.get: reading a dialog the caller belongs to. */
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../rest/errors.ts';
import { int, pick } from '../rest/params.ts';
import { openDialog } from '../domain/chats.ts';
import { findUsers } from '../domain/users.ts';
import { dialogIdFor } from '../domain/types.ts';
import { dialogParam } from './message-input.ts';
import { wireChat, wireMessage, wireUser } from './wire.ts';

defineMethod({
  name: 'im.dialog.get', scope: 'im',
  async handler(ctx, p) {
    const ref = dialogParam(p);
    const chat = await ctx.portal.db.transaction().execute((trx) => openDialog(trx, ctx.user, ref, 'read'));
    ctx.portal.wake();
    return wireChat(ctx.portal, chat, dialogIdFor(chat, ctx.user.id));
  },
});

defineMethod({
  name: 'im.dialog.messages.get', scope: 'im',
  async handler(ctx, p) {
    const ref = dialogParam(p);
    for (const key of ['FIRST_ID', 'LAST_ID'] as const) {
      const v = pick(p, key);
      if (v !== undefined && v !== '' && !/^\d+$/.test(String(v))) fail('ERROR_ARGUMENT', `${key === 'FIRST_ID' ? 'First' : 'Last'} ID can't be string`);
    }
    const db = ctx.portal.db;
    // Opening a dialog with a bot for the first time is what sends it ONIMBOTJOINCHAT.
    const chat = await db.transaction().execute((trx) => openDialog(trx, ctx.user, ref, 'read'));
    ctx.portal.wake();
    const limit = Math.min(Math.max(int(p, 'LIMIT') || 20, 1), 50);
    const firstId = int(p, 'FIRST_ID');
    const lastId = int(p, 'LAST_ID');
    // Messages dated in the future (a type-H bot's pending answer) are not there yet.
    let q = db.selectFrom('messages').selectAll().where('chat_id', '=', chat.id).where('created_at', '<=', Date.now());
    if (firstId > 0) q = q.where('id', '>', firstId).orderBy('id', 'asc');
    else {
      if (lastId > 0) q = q.where('id', '<', lastId);
      q = q.orderBy('id', 'desc');
    }
    const rows = await q.limit(limit).execute();
    // Newest first, whichever direction was asked for.
    rows.sort((a, b) => b.id - a.id);
    const users = await findUsers(db, rows.map((r) => r.author_id));
    return {
      messages: rows.map(wireMessage),
      users: [...users.values()].map((u) => wireUser(ctx.portal, u)),
      files: [],
      chat_id: chat.id,
    };
  },
});
