/**
 * im.chat.add, im.chat.get, im.chat.user.list / add / delete, im.chat.leave and im.chat.mute: users
 * (and apps acting as their user) creating chats and managing who is in them. The chat's look and
 * owner are in im.chat.update.ts. Codes follow the seed ("Chat API"); where the seed is silent, the
 * English docs.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { flag, has, int, pick, str } from '../../rest/params.ts';
import { findUser, findUsers } from '../../domain/users.ts';
import { createChat, findChat, inviteUsers, isMember, memberIds, membersAmong, privateChat } from '../../domain/chats.ts';
import { postMessage } from '../../domain/messages.ts';
import { canSee, chatsByEntity, checkRemove, leaveChat, MAX_TITLE, removeMember, setMuted } from '../../domain/chat-admin.ts';
import { parseDialogId } from '../../domain/types.ts';
import { avatarParam, change, chatIdParam, memberChat, UNAVAILABLE, usersParam } from '../im.chat.params.ts';
import { capMessage } from '../message-input.ts';

/** The seed's WRONG_REQUEST text of im.chat.user.add (and, copied there, of im.chat.user.delete). */
const CANNOT_ADD = 'You do not have permission to add a participant to the chat, or the participant is already in the chat';
const CANNOT_REMOVE = "You don't have access or user isn't a member of the chat";

defineMethod({
  name: 'im.chat.add', scope: 'im', access: 'portal',
  async handler(ctx, p) {
    const users = usersParam(p).filter((id) => id !== ctx.user.id);
    // The seed makes USERS required (USERS_EMPTY); the caller alone is not a chat.
    if (!users.length) fail('USERS_EMPTY');
    const ownerId = int(p, 'OWNER_ID') > 0 ? int(p, 'OWNER_ID') : ctx.user.id;
    const known = await findUsers(ctx.portal.db, [...users, ownerId]);
    if (!known.has(ownerId) || users.some((id) => !known.has(id))) fail('WRONG_REQUEST', "Chat can't be created");
    // A picture that is not one is dropped, as Bitrix24 does on create; im.chat.updateAvatar reports it.
    let avatar = '';
    if (has(p, 'AVATAR')) {
      try {
        avatar = avatarParam(p).bytes.toString('base64');
      } catch { /* no avatar */ }
    }
    const message = capMessage(str(p, 'MESSAGE').trim());
    const chat = await change(ctx, async (trx) => {
      const chat = await createChat(ctx.portal, trx, ctx.user, {
        type: str(p, 'TYPE').trim().toUpperCase() === 'OPEN' ? 'O' : 'C',
        title: str(p, 'TITLE').trim().slice(0, MAX_TITLE), description: str(p, 'DESCRIPTION'), color: str(p, 'COLOR').trim().toUpperCase(),
        ownerId, userIds: users, entityType: str(p, 'ENTITY_TYPE'), entityId: str(p, 'ENTITY_ID'), avatar,
      });
      if (message) await postMessage(ctx.portal, trx, chat, ctx.user, { text: message });
      return chat;
    });
    return chat.id;
  },
});

defineMethod({
  name: 'im.chat.get', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const entityType = str(p, 'ENTITY_TYPE');
    const entityId = str(p, 'ENTITY_ID');
    // As PHP's empty(): a missing, empty or "0" value finds nothing (the documented null).
    if (!entityType || entityType === '0' || !entityId || entityId === '0') return null;
    const chats = await chatsByEntity(ctx.portal.db, entityType, entityId);
    if (!chats.length) return null;
    for (const chat of chats) if (await canSee(ctx.portal.db, chat, ctx.user.id)) return { ID: chat.id };
    fail('ACCESS_ERROR', "You don't have access to this chat");
  },
});

defineMethod({
  name: 'im.chat.user.list', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const chat = await findChat(ctx.portal.db, chatId);
    // Members of a chat one is in, and of open chats, which everyone may see.
    if (!chat || !(await canSee(ctx.portal.db, chat, ctx.user.id))) fail('ACCESS_ERROR', UNAVAILABLE);
    return memberIds(ctx.portal.db, chat.id);
  },
});

defineMethod({
  name: 'im.chat.user.add', scope: 'im', access: 'dialog',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const requested = usersParam(p);
    if (!requested.length) fail('USERS_EMPTY');
    // The seed: HIDE_HISTORY=Y hides the history from the new members; N (the default) shows it.
    const hideHistory = flag(p, 'HIDE_HISTORY', false);
    await change(ctx, async (trx) => {
      const chat = await findChat(trx, chatId);
      if (!chat) fail('ACCESS_ERROR', UNAVAILABLE);
      const member = await isMember(trx, chat.id, ctx.user.id);
      // An open chat may be joined by anyone; a private chat is seen by its members only.
      const selfJoin = chat.type === 'O' && !member && requested.length === 1 && requested[0] === ctx.user.id;
      if (!member && !selfJoin) {
        if (chat.type === 'O') fail('WRONG_REQUEST', CANNOT_ADD);
        fail('ACCESS_ERROR', UNAVAILABLE);
      }
      if (chat.type === 'P') fail('ACCESS_ERROR', 'It is forbidden to add users to this chat');
      // Unknown ids are skipped, as Bitrix24 does; nobody new to add is the seed's WRONG_REQUEST.
      const known = await findUsers(trx, requested);
      const present = await membersAmong(trx, chat.id, requested);
      const fresh = requested.filter((id) => known.get(id)?.active && !present.has(id));
      if (!fresh.length) fail('WRONG_REQUEST', CANNOT_ADD);
      await inviteUsers(ctx.portal, trx, chat, ctx.user, fresh, { hideHistory });
    });
    return true;
  },
});

defineMethod({
  name: 'im.chat.user.delete', scope: 'im', access: 'dialog',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const userId = int(p, 'USER_ID');
    if (userId <= 0) fail('USER_ID_EMPTY');
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, ctx.user, chatId, { privateText: 'It is forbidden to delete users of this chat' });
      if (userId === ctx.user.id) {
        // Removing oneself is leaving, with the owner's hand-over.
        await leaveChat(ctx.portal, trx, chat, ctx.user);
        return;
      }
      // Only the owner and administrators remove others, and nobody removes the owner.
      if (await checkRemove(trx, chat, ctx.user.id, userId)) fail('WRONG_REQUEST', CANNOT_REMOVE);
      const target = await findUser(trx, userId);
      if (!target) fail('WRONG_REQUEST', CANNOT_REMOVE);
      await removeMember(ctx.portal, trx, chat, ctx.user, target);
    });
    return true;
  },
});

defineMethod({
  name: 'im.chat.leave', scope: 'im', access: 'dialog', denied: 'WRONG_REQUEST',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    await change(ctx, async (trx) => {
      const chat = await findChat(trx, chatId);
      // The seed: WRONG_REQUEST "you are not a member of this chat" (also for a chat that does not exist).
      if (!chat || !(await isMember(trx, chat.id, ctx.user.id))) fail('WRONG_REQUEST', 'You are not a member of this chat');
      if (chat.type === 'P') fail('ACCESS_ERROR', 'It is forbidden to delete users of this chat');
      await leaveChat(ctx.portal, trx, chat, ctx.user);
    });
    return true;
  },
});

defineMethod({
  name: 'im.chat.mute', scope: 'im', access: 'dialog',
  async handler(ctx, p) {
    const refusal = 'This chat cannot be muted';
    let chatId: number;
    if (has(p, 'DIALOG_ID') && !has(p, 'CHAT_ID')) {
      // Unlike the update methods, mute also takes a private dialog (a user id).
      const ref = parseDialogId(str(p, 'DIALOG_ID'));
      if (!ref) fail('DIALOG_ID_EMPTY');
      if (ref.kind === 'user') {
        if (ref.userId === ctx.user.id || !(await findUser(ctx.portal.db, ref.userId))) fail('ACCESS_ERROR', refusal);
        chatId = (await change(ctx, (trx) => privateChat(trx, ctx.user, ref.userId, false))).id;
      } else chatId = ref.chatId;
    } else chatId = chatIdParam(p);
    // The seed names the flag MUTE; ACTION is read too, as some clients send it. Default Y (English docs).
    const raw = has(p, 'MUTE') ? pick(p, 'MUTE') : pick(p, 'ACTION');
    const mute = raw === undefined || raw === null || raw === '' ? true : flag({ v: raw }, 'v');
    if (!(await setMuted(ctx.portal.db, chatId, ctx.user.id, mute))) fail('ACCESS_ERROR', refusal);
    return true;
  },
});
