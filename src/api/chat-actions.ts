/**
 * What im.chat.* (a user acting) and imbot.chat.* (a bot acting, as its portal user) share: one body
 * per operation with the actor as input, and the parameters both families read for it. Bitrix24
 * runs both families through the same code (its im rest class branches on the method name only to
 * find the bot); where Parley's documented answers still differ by family, the difference is a named
 * rule of ChatRules, not a second copy of the body.
 */
import type { Portal } from '../portal.ts';
import type { CallContext } from '../rest/registry.ts';
import { fail, type ErrorCode } from '../errors.ts';
import { c, type InputOf } from '../rest/schema.ts';
import { runAction } from '../domain/action.ts';
import { COLORS, findUser, findUsers } from '../domain/users.ts';
import { createChat, findChat, inviteUsers, isMember, memberIds, membersAmong } from '../domain/chats.ts';
import { postMessage } from '../domain/messages.ts';
import {
  canSee, chatsByEntity, checkRemove, leaveChat, MAX_TITLE, memberChat, recolorChat, removeMember, renameChat, setChatAvatar,
  transferOwnership, UNAVAILABLE, type Gate,
} from '../domain/chat-admin.ts';
import type { ImageInfo } from '../domain/images.ts';
import type { User } from '../domain/types.ts';
import { avatarIfValid, color } from './codecs/chat-looks.ts';
import { users } from './codecs/dialogs.ts';
import { messageText } from './codecs/messages.ts';

/** Where the documented answers of the two families differ. */
export interface ChatRules {
  /**
   * Whether a non-member of an open chat may list its members and join it by adding themselves. A
   * user may (open chats are readable by all; bringing others in is the seed's WRONG_REQUEST); a bot
   * acts only where it is a member (ACCESS_ERROR "Action unavailable", the `bot` access kind).
   */
  outsidersInOpenChats: boolean;
  /** Whether USERS naming nobody is USERS_EMPTY (the seed's im.chat.user.add) rather than the WRONG_REQUEST of adding nobody. */
  usersRequired: boolean;
  /** The WRONG_REQUEST text when nobody new can be added: the seed's for im, the English docs' (and Bitrix24's code's) for imbot. */
  cannotAdd: string;
  /**
   * Whether the owner leaving hands the chat over (im: to an administrator or the longest-standing
   * member); otherwise the owner is refused with ACCESS_ERROR LEAVE_OWNER_FORBIDDEN and hands the
   * chat over first (imbot, as its docs and tests have it).
   */
  ownerHandsOver: boolean;
}

/** Who acts on a chat: a user, or a bot's user, with its family's rules. */
export interface ChatActor {
  user: User;
  rules: ChatRules;
}

/** im.chat.*: a user (or an app acting as its user). */
export const IM_RULES: ChatRules = {
  outsidersInOpenChats: true,
  usersRequired: true,
  cannotAdd: 'You do not have permission to add a participant to the chat, or the participant is already in the chat',
  ownerHandsOver: true,
};

/** imbot.chat.*: a bot of the calling app. */
export const IMBOT_RULES: ChatRules = {
  outsidersInOpenChats: false,
  usersRequired: false,
  cannotAdd: "You don't have access or user already member in chat",
  ownerHandsOver: false,
};

/** The calling user as a chat actor (im.chat.*). */
export function asUser(ctx: CallContext): ChatActor {
  return { user: ctx.user, rules: IM_RULES };
}

/** The calling bot's user as a chat actor (imbot.chat.*). */
export function asBot(bot: User): ChatActor {
  return { user: bot, rules: IMBOT_RULES };
}

/** The WRONG_REQUEST text when a member cannot be removed (both families, and the seed's im.chat.user.delete). */
export const CANNOT_REMOVE = "You don't have access or user isn't a member of the chat";

/** What a new chat is, after its USERS (im.chat.add, imbot.chat.add), in the order it is read. */
export const CHAT_FIELDS = {
  OWNER_ID: c.int(),
  // OPEN makes an open chat; anything else (CHAT, the documented default) a closed one.
  TYPE: c.choice(['OPEN', 'CHAT'], 'CHAT'),
  TITLE: c.trimmed(),
  DESCRIPTION: c.string(),
  // An unknown colour is not an error on create: the chat gets one of the palette.
  COLOR: color(),
  ENTITY_TYPE: c.string(),
  ENTITY_ID: c.string(),
  AVATAR: avatarIfValid(),
  MESSAGE: messageText(),
};

/** The parameters of im.chat.add; imbot.chat.add reads the bot between USERS and the rest. */
export const NEW_CHAT = { USERS: users(), ...CHAT_FIELDS };

/**
 * USERS of im.chat.user.add and imbot.chat.user.add: an item that is not an id is the documented
 * WRONG_REQUEST "User IDs must be passed in array format" (imbot.chat.user.add in the English docs;
 * Bitrix24 runs both methods through one body).
 */
export const USERS_TO_ADD = users(['WRONG_REQUEST', 'User IDs must be passed in array format']);

/** The entity a chat is bound to (im.chat.get, imbot.chat.get). */
export const CHAT_ENTITY = { ENTITY_TYPE: c.string(), ENTITY_ID: c.string() };

/** COLOR of updateColor: a colour of the palette, or WRONG_COLOR. */
export const CHAT_COLOR = color().check((v) => !!COLORS[v], 'WRONG_COLOR');

/** Create a group or open chat with the actor in it (and, unless OWNER_ID names another, as its owner). */
export async function addChat(portal: Portal, actor: ChatActor, input: InputOf<typeof NEW_CHAT>): Promise<number> {
  const me = actor.user;
  const userIds = input.USERS.filter((id) => id !== me.id);
  // The seed makes USERS required (USERS_EMPTY); the creator alone is not a chat.
  if (!userIds.length) fail('USERS_EMPTY');
  const ownerId = input.OWNER_ID > 0 ? input.OWNER_ID : me.id;
  const known = await findUsers(portal.db, [...userIds, ownerId]);
  if (!known.has(ownerId) || userIds.some((id) => !known.has(id))) fail('WRONG_REQUEST', "Chat can't be created");
  const chat = await runAction(portal, async (trx) => {
    const chat = await createChat(portal, trx, me, {
      type: input.TYPE === 'OPEN' ? 'O' : 'C', title: input.TITLE.slice(0, MAX_TITLE), description: input.DESCRIPTION, color: input.COLOR,
      ownerId, userIds, entityType: input.ENTITY_TYPE, entityId: input.ENTITY_ID, avatar: input.AVATAR?.bytes.toString('base64') ?? '',
    });
    if (input.MESSAGE) await postMessage(portal, trx, chat, me, { text: input.MESSAGE });
    return chat;
  });
  return chat.id;
}

/** The first chat bound to the entity that the actor may see, as `{ ID }`; null when none is bound. */
export async function chatOfEntity(portal: Portal, actor: ChatActor, input: InputOf<typeof CHAT_ENTITY>): Promise<{ ID: number } | null> {
  const { ENTITY_TYPE: type, ENTITY_ID: id } = input;
  // As PHP's empty(): a missing, empty or "0" value finds nothing (the documented null).
  if (!type || type === '0' || !id || id === '0') return null;
  const chats = await chatsByEntity(portal.db, type, id);
  if (!chats.length) return null;
  for (const chat of chats) if (await canSee(portal.db, chat, actor.user.id)) return { ID: chat.id };
  fail('ACCESS_ERROR', "You don't have access to this chat");
}

/** The members of a chat the actor is in (or, where the rules let outsiders read, an open chat). */
export async function chatMembers(portal: Portal, actor: ChatActor, chatId: number): Promise<number[]> {
  const db = portal.db;
  const chat = await findChat(db, chatId);
  const sees = !!chat && (actor.rules.outsidersInOpenChats ? await canSee(db, chat, actor.user.id) : await isMember(db, chat.id, actor.user.id));
  if (!chat || !sees) fail('ACCESS_ERROR', UNAVAILABLE);
  return memberIds(db, chat.id);
}

/**
 * Invite users into a chat the actor is in. Unknown, deactivated and present users are skipped, as
 * Bitrix24 does; nobody left to add is WRONG_REQUEST. `hideHistory`: the new members see only what
 * is written from their joining on.
 */
export async function addChatMembers(portal: Portal, actor: ChatActor, chatId: number, requested: number[], hideHistory: boolean): Promise<void> {
  const { user: me, rules } = actor;
  if (!requested.length && rules.usersRequired) fail('USERS_EMPTY');
  await runAction(portal, async (trx) => {
    const chat = await findChat(trx, chatId);
    if (!chat) fail('ACCESS_ERROR', UNAVAILABLE);
    if (!(await isMember(trx, chat.id, me.id))) {
      // An open chat may be joined by anyone (where the rules allow it); a private chat is seen by its members only.
      const open = rules.outsidersInOpenChats && chat.type === 'O';
      const selfJoin = open && requested.length === 1 && requested[0] === me.id;
      if (!selfJoin && open) fail('WRONG_REQUEST', rules.cannotAdd);
      if (!selfJoin) fail('ACCESS_ERROR', UNAVAILABLE);
    }
    if (chat.type === 'P') fail('ACCESS_ERROR', 'It is forbidden to add users to this chat');
    const known = await findUsers(trx, requested);
    const present = await membersAmong(trx, chat.id, requested);
    const fresh = requested.filter((id) => known.get(id)?.active && !present.has(id));
    if (!fresh.length) fail('WRONG_REQUEST', rules.cannotAdd);
    await inviteUsers(portal, trx, chat, me, fresh, { hideHistory });
  });
}

/**
 * Remove `targetId` from a chat; the actor themselves: leaving. `notMember`: the WRONG_REQUEST text
 * for leaving a chat one is not in, where the method documents one (otherwise ACCESS_ERROR, as for
 * managing a chat one is not in); `refused`: the WRONG_REQUEST text when the target cannot be removed.
 */
export async function removeChatMember(
  portal: Portal, actor: ChatActor, chatId: number, targetId: number, texts: { notMember?: string; refused: string },
): Promise<void> {
  const { user: me, rules } = actor;
  const leaving = targetId === me.id;
  await runAction(portal, async (trx) => {
    if (leaving && texts.notMember) {
      const found = await findChat(trx, chatId);
      if (!found || !(await isMember(trx, found.id, me.id))) fail('WRONG_REQUEST', texts.notMember);
    }
    const chat = await memberChat(trx, me, chatId, { privateText: 'It is forbidden to delete users of this chat' });
    if (leaving && rules.ownerHandsOver) {
      await leaveChat(portal, trx, chat, me);
      return;
    }
    // Only the owner and administrators remove others, and nobody removes the owner.
    const refusal = await checkRemove(trx, chat, me.id, targetId);
    if (refusal === 'owner' && !rules.ownerHandsOver) fail('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
    if (refusal) fail('WRONG_REQUEST', texts.refused);
    const target = leaving ? me : await findUser(trx, targetId);
    if (!target) fail('WRONG_REQUEST', texts.refused);
    await removeMember(portal, trx, chat, me, target);
  });
}

/** Rename a chat (any member may: Bitrix24's default "manage_ui: member"); the system line says so. */
export function renameChatAs(portal: Portal, actor: ChatActor, chatId: number, title: string): Promise<void> {
  // The seed's WRONG_REQUEST: the title is already set, or the chat does not exist.
  const wrong: [ErrorCode, string] = ['WRONG_REQUEST', "This title currently set or chat doesn't exist"];
  return runAction(portal, async (trx) => {
    const chat = await memberChat(trx, actor.user, chatId, { missing: wrong, privateText: 'This chat cannot be renamed' });
    if (!(await renameChat(portal, trx, chat, actor.user, title))) fail(...wrong);
  });
}

/** Recolour a chat (a colour of the palette, checked by CHAT_COLOR). */
export function recolorChatAs(portal: Portal, actor: ChatActor, chatId: number, colour: string): Promise<void> {
  const wrong: [ErrorCode, string] = ['WRONG_REQUEST', "This color currently set or chat doesn't exist"];
  return runAction(portal, async (trx) => {
    const chat = await memberChat(trx, actor.user, chatId, { missing: wrong, privateText: UNAVAILABLE });
    if (!(await recolorChat(portal, trx, chat, actor.user, colour))) fail(...wrong);
  });
}

/** Replace a chat's avatar. */
export function setChatAvatarAs(portal: Portal, actor: ChatActor, chatId: number, image: ImageInfo): Promise<void> {
  const gate: Gate = { missing: ['WRONG_REQUEST', "Chat doesn't exist"], privateText: 'The avatar of this chat cannot be changed' };
  return runAction(portal, async (trx) => setChatAvatar(portal, trx, await memberChat(trx, actor.user, chatId, gate), actor.user, image));
}

/** Hand a chat to another member: only its owner may. */
export function setChatOwnerAs(portal: Portal, actor: ChatActor, chatId: number, userId: number): Promise<void> {
  return runAction(portal, async (trx) => {
    const chat = await memberChat(trx, actor.user, chatId, { privateText: UNAVAILABLE });
    const next = await findUser(trx, userId);
    if (!next || !(await transferOwnership(portal, trx, chat, actor.user, next))) {
      fail('WRONG_REQUEST', 'Change owner can only owner and user must be member in chat');
    }
  });
}
