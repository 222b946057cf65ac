/**
 * imopenlines.dialog.get: a line chat's object (im.dialog.get's shape, `type: "lines"`, message type L,
 * the entity fields, manager_list) found by CHAT_ID, DIALOG_ID, SESSION_ID or USER_CODE — for its
 * line's operators and administrators, and for its members.
 */
import { fail } from '../../errors.ts';
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { findChat, isMember } from '../../domain/chats.ts';
import { chatByUserCode, lineIdOfChat, mayActOnLine } from '../../domain/lines/operations.ts';
import { findSession } from '../../domain/lines/sessions.ts';
import type { Chat } from '../../domain/types.ts';
import { chatDetailsAs } from '../im.dialog.ts';

defineMethod({
  name: 'imopenlines.dialog.get', scope: 'imopenlines', access: 'line', denied: 'ACCESS_ERROR',
  params: { CHAT_ID: c.int(), DIALOG_ID: c.trimmed(), SESSION_ID: c.int(), USER_CODE: c.trimmed() },
  async handler(ctx, input) {
    const db = ctx.portal.db;
    let chat: Chat | undefined;
    if (input.CHAT_ID > 0) chat = await findChat(db, input.CHAT_ID);
    else if (input.DIALOG_ID) {
      const m = /^chat(\d+)$/i.exec(input.DIALOG_ID);
      // A bare user id names a private dialog, never a line chat.
      chat = m ? await findChat(db, Number(m[1])) : undefined;
    } else if (input.SESSION_ID > 0) {
      const s = await findSession(db, input.SESSION_ID);
      chat = s ? await findChat(db, s.chat_id) : undefined;
    } else if (input.USER_CODE) chat = await chatByUserCode(db, input.USER_CODE);
    else fail('DIALOG_ID_EMPTY');
    if (!chat || chat.type !== 'L') fail('ACCESS_ERROR');
    if (!(await mayActOnLine(db, ctx.user, lineIdOfChat(chat))) && !(await isMember(db, chat.id, ctx.user.id))) fail('ACCESS_ERROR');
    return chatDetailsAs(ctx.portal, chat, ctx.user);
  },
});
