/**
 * imbot.chat.*: a bot creating and managing group chats on behalf of its app — add, get (by bound
 * entity), user.list / add / delete, leave, updateTitle / updateColor / updateAvatar, setOwner,
 * setManager — and imbot.dialog.get. The bot is found with BOT_ID (or CLIENT_ID) as in every imbot
 * method and must be a member of the chat it manages; errors carry the texts of the English docs.
 */
import { defineMethod, type CallContext } from '../rest/registry.ts';
import { fail, type ErrorCode } from '../errors.ts';
import { flag, has, int, pick, str, type Params } from '../rest/params.ts';
import { COLORS, findUser, findUsers } from '../domain/users.ts';
import { createChat, findChat, inviteUsers, isMember, memberIds, openDialog } from '../domain/chats.ts';
import { postMessage } from '../domain/messages.ts';
import {
  canSee, chatsByEntity, checkRemove, MAX_TITLE, recolorChat, removeMember, renameChat, setChatAvatar, setManager, transferOwnership,
} from '../domain/chat-admin.ts';
import type { User } from '../domain/types.ts';
import { callerBot } from './imbot.bot.ts';
import { capMessage, dialogParam } from './message-input.ts';
import { chatDetailsAs } from './im.dialog.ts';
// The chat gate, AVATAR reading and the change wrapper are the same for users' im.chat.* methods.
import { avatarParam, change, memberChat, UNAVAILABLE } from './im.chat.params.ts';
import { parseJsonInput } from '../wire/json-input.ts';

/** CHAT_ID, or the chat of a `chatXXX` DIALOG_ID (Bitrix24 accepts both); CHAT_ID_EMPTY when neither. */
function chatIdParam(p: Params): number {
  if (has(p, 'DIALOG_ID') && !has(p, 'CHAT_ID')) {
    const m = /^chat(\d+)$/i.exec(str(p, 'DIALOG_ID').trim());
    if (!m) fail('DIALOG_ID_EMPTY');
    return Number(m[1]);
  }
  const id = int(p, 'CHAT_ID');
  if (id <= 0) fail('CHAT_ID_EMPTY');
  return id;
}

/**
 * USERS as user ids: a JSON or PHP array, a JSON string of one, or a single id. `bad` is called when
 * an item is not a scalar (a nested array or object).
 */
function usersParam(p: Params, bad: () => never): number[] {
  let raw = pick(p, 'USERS');
  if (typeof raw === 'string' && /^\s*\[/.test(raw)) {
    raw = parseJsonInput(raw);
    if (raw === undefined) bad();
  }
  const items = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw) : [raw];
  if (items.some((v) => v !== null && typeof v === 'object')) bad();
  return [...new Set(items.map((v) => Number(v)).filter((n) => Number.isSafeInteger(n) && n > 0))];
}

/** The calling bot and its user row. */
async function botOf(ctx: CallContext, p: Params): Promise<User> {
  const { bot } = await callerBot(ctx, p);
  const user = await findUser(ctx.portal.db, bot.id);
  if (!user) fail('BOT_ID_ERROR');
  return user;
}


defineMethod({
  name: 'imbot.chat.add', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const requested = usersParam(p, () => fail('INVALID_FORMAT'));
    const bot = await botOf(ctx, p);
    const users = requested.filter((id) => id !== bot.id);
    // The seed makes USERS required: a chat of the bot alone is refused.
    if (!users.length) fail('USERS_EMPTY');
    const ownerId = int(p, 'OWNER_ID') > 0 ? int(p, 'OWNER_ID') : bot.id;
    const known = await findUsers(ctx.portal.db, [...users, ownerId]);
    if (!known.has(ownerId) || users.some((id) => !known.has(id))) fail('WRONG_REQUEST', "Chat can't be created");
    // A picture that is not one is dropped, as Bitrix24 does on create; updateAvatar reports it.
    let avatar = '';
    if (has(p, 'AVATAR')) {
      try {
        avatar = avatarParam(p).bytes.toString('base64');
      } catch { /* no avatar */ }
    }
    const message = capMessage(str(p, 'MESSAGE').trim());
    const chat = await change(ctx, async (trx) => {
      const chat = await createChat(ctx.portal, trx, bot, {
        type: str(p, 'TYPE').toUpperCase() === 'OPEN' ? 'O' : 'C',
        title: str(p, 'TITLE').trim().slice(0, MAX_TITLE), description: str(p, 'DESCRIPTION'), color: str(p, 'COLOR').toUpperCase(),
        ownerId, userIds: users, entityType: str(p, 'ENTITY_TYPE'), entityId: str(p, 'ENTITY_ID'), avatar,
      });
      if (message) await postMessage(ctx.portal, trx, chat, bot, { text: message });
      return chat;
    });
    return chat.id;
  },
});

defineMethod({
  name: 'imbot.chat.get', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const bot = await botOf(ctx, p);
    const entityType = str(p, 'ENTITY_TYPE');
    const entityId = str(p, 'ENTITY_ID');
    // As PHP's empty(): a missing, empty or "0" value finds nothing.
    if (!entityType || entityType === '0' || !entityId || entityId === '0') return null;
    const chats = await chatsByEntity(ctx.portal.db, entityType, entityId);
    if (!chats.length) return null;
    for (const chat of chats) if (await canSee(ctx.portal.db, chat, bot.id)) return { ID: chat.id };
    fail('ACCESS_ERROR', "You don't have access to this chat");
  },
});

defineMethod({
  name: 'imbot.dialog.get', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const ref = dialogParam(p);
    const bot = await botOf(ctx, p);
    // Read access, as im.dialog.get: the bot's own dialogs, and open chats.
    const chat = await change(ctx, (trx) => openDialog(trx, bot, ref, 'read'));
    return chatDetailsAs(ctx.portal, chat, bot);
  },
});

defineMethod({
  name: 'imbot.chat.user.list', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const bot = await botOf(ctx, p);
    const chat = await memberChat(ctx.portal.db, bot, chatId);
    return memberIds(ctx.portal.db, chat.id);
  },
});

defineMethod({
  name: 'imbot.chat.user.add', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const requested = usersParam(p, () => fail('WRONG_REQUEST', 'User IDs must be passed in array format'));
    const bot = await botOf(ctx, p);
    // HIDE_HISTORY is accepted and has no effect: every member sees the whole history.
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, bot, chatId, { privateText: 'It is forbidden to add users to this chat' });
      const known = await findUsers(trx, requested);
      const fresh: number[] = [];
      for (const id of requested) if (known.has(id) && !(await isMember(trx, chat.id, id))) fresh.push(id);
      if (!fresh.length) fail('WRONG_REQUEST', "You don't have access or user already member in chat");
      await inviteUsers(ctx.portal, trx, chat, bot, fresh);
    });
    return true;
  },
});

/** Remove `targetId` from a chat as the bot (leaving when it is the bot itself), with the documented refusals. */
async function removeAs(ctx: CallContext, bot: User, chatId: number, targetId: number, notMember: string): Promise<void> {
  const leaving = targetId === bot.id;
  await change(ctx, async (trx) => {
    const chat = await findChat(trx, chatId);
    // Leaving a chat one is not in is the documented WRONG_REQUEST; managing it is ACCESS_ERROR.
    if (leaving && (!chat || !(await isMember(trx, chat.id, bot.id)))) fail('WRONG_REQUEST', notMember);
    const checked = await memberChat(trx, bot, chatId, { privateText: 'It is forbidden to delete users of this chat' });
    const refusal = await checkRemove(trx, checked, bot.id, targetId);
    if (refusal === 'owner') fail('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
    if (refusal) fail('WRONG_REQUEST', notMember);
    const target = leaving ? bot : await findUser(trx, targetId);
    if (!target) fail('WRONG_REQUEST', notMember);
    await removeMember(ctx.portal, trx, checked, bot, target);
  });
}

defineMethod({
  name: 'imbot.chat.user.delete', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const userId = int(p, 'USER_ID');
    if (userId <= 0) fail('USER_ID_EMPTY');
    const bot = await botOf(ctx, p);
    await removeAs(ctx, bot, chatId, userId, "You don't have access or user isn't a member of the chat");
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.leave', scope: 'imbot', access: 'bot', denied: 'WRONG_REQUEST',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const bot = await botOf(ctx, p);
    await removeAs(ctx, bot, chatId, bot.id, "You don't have access or user isn't a member in chat");
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.updateTitle', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const title = str(p, 'TITLE').trim();
    if (!title) fail('TITLE_EMPTY');
    const bot = await botOf(ctx, p);
    // The seed documents WRONG_REQUEST for "title already set or chat does not exist".
    const wrong: [ErrorCode, string] = ['WRONG_REQUEST', "This title currently set or chat doesn't exist"];
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, bot, chatId, { missing: wrong, privateText: 'This chat cannot be renamed' });
      if (!(await renameChat(ctx.portal, trx, chat, bot, title))) fail(...wrong);
    });
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.updateColor', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const color = str(p, 'COLOR').trim().toUpperCase();
    if (!COLORS[color]) fail('WRONG_COLOR');
    const bot = await botOf(ctx, p);
    const wrong: [ErrorCode, string] = ['WRONG_REQUEST', "This color currently set or chat doesn't exist"];
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, bot, chatId, { missing: wrong, privateText: UNAVAILABLE });
      if (!(await recolorChat(ctx.portal, trx, chat, bot, color))) fail(...wrong);
    });
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.updateAvatar', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const bot = await botOf(ctx, p);
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, bot, chatId, { missing: ['WRONG_REQUEST', "Chat doesn't exist"], privateText: 'The avatar of this chat cannot be changed' });
      await setChatAvatar(ctx.portal, trx, chat, bot, avatarParam(p));
    });
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.setOwner', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const userId = int(p, 'USER_ID');
    if (userId <= 0) fail('USER_ID_EMPTY');
    const bot = await botOf(ctx, p);
    const wrong = 'Change owner can only owner and user must be member in chat';
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, bot, chatId, { privateText: UNAVAILABLE });
      const next = await findUser(trx, userId);
      if (!next || !(await transferOwnership(ctx.portal, trx, chat, bot, next))) fail('WRONG_REQUEST', wrong);
    });
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.setManager', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const userId = int(p, 'USER_ID');
    if (userId <= 0) fail('USER_ID_EMPTY');
    const manager = flag(p, 'IS_MANAGER', true);
    const bot = await botOf(ctx, p);
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, bot, chatId);
      if (!(await setManager(trx, chat, bot, userId, manager))) fail('WRONG_REQUEST', 'Change manager can only owner and user must be member in chat');
    });
    return true;
  },
});
