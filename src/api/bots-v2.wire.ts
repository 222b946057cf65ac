/**
 * The answers of imbot.v2.Bot.* and Event.get: the Bot object (extended for its owner, with its
 * counters) and the User objects of the bots (src/wire/v2-entities.ts), with the portal's address
 * for avatars and the palette's hex colours; the full Chat object of imbot.v2.Chat.*.
 */
import type { Portal } from '../portal.ts';
import { COLORS } from '../domain/users.ts';
import { findUser } from '../domain/users.ts';
import { botCounters, botFields } from '../domain/bots-v2.ts';
import { chatFacts } from '../domain/bot-v2-chats.ts';
import { dialogBackground } from '../domain/dialogs.ts';
import { dialogIdFor } from '../wire/dialog-id.ts';
import { v2Bot, v2Chat, v2User } from '../wire/v2-entities.ts';
import type { Bot, Chat, User } from '../domain/types.ts';

/** A user's colour as hex. */
export const hexColor = (color: string) => COLORS[color] ?? (color.startsWith('#') ? color : '#556574');

/** The User object as method answers show it (an avatar as an absolute URL). */
export function answerUser(portal: Portal, u: User): Record<string, unknown> {
  return v2User(u, hexColor(u.color), portal.publicUrl);
}

/** The Bot object: extended (with counters) for its owner, brief for anyone else. */
export async function answerBot(portal: Portal, bot: Bot, owner: boolean): Promise<Record<string, unknown>> {
  return v2Bot(botFields(bot), owner ? await botCounters(portal.db, bot.id) : undefined);
}

/** `{bot, users}` as Bot.register / update / get answer it. */
export async function botAnswer(portal: Portal, bot: Bot, owner = true): Promise<Record<string, unknown>> {
  const user = await findUser(portal.db, bot.id);
  return { bot: await answerBot(portal, bot, owner), users: user ? [answerUser(portal, user)] : [] };
}

/** The full Chat object of `chat` as the bot `botId` sees it (Chat.add, Chat.get). */
export async function chatAnswer(portal: Portal, chat: Chat, botId: number, isNew = false): Promise<Record<string, unknown>> {
  const facts = await chatFacts(portal.db, chat, botId);
  return v2Chat(chat, dialogIdFor(chat, botId), hexColor(chat.color), portal.publicUrl, {
    ...facts, isNew, textFieldEnabled: Number(chat.text_field_enabled ?? 1) !== 0, backgroundId: await dialogBackground(portal.db, chat),
  });
}
