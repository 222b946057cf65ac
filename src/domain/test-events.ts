/**
 * Test events: the developer console's "Send a test event" (parley.testevent.send, `parley events
 * test`) fires one event at an app's handler without anyone clicking through the messenger. The
 * payload is built by the code that builds the real event (events/bot-events.ts, command-events.ts,
 * the ONAPPUPDATE of apps.ts) and queued in the durable outbox like any delivery, marked as a test
 * (outbox.ts markTest: `X-Parley-Test: 1`, `test` in the event log); its tokens are minted when it
 * is sent. What each event refers to:
 *
 * - ONIMBOTMESSAGEADD: a real message, posted as the chosen user into the dialog (the user's private
 *   dialog with the bot, or a chat both are in) and told to the chosen bot only, not to the chat's
 *   other bots; so MESSAGE_ID is real and the bot's reply to DIALOG_ID lands in that dialog. In a
 *   chat, a bot that is not a supervisor (type S) hears a message only when mentioned: the bot's
 *   mention is put in front of the text, as the messenger does.
 * - ONIMCOMMANDADD: the same, with the text `/COMMAND COMMAND_PARAMS`; the call is recorded, so
 *   imbot.command.answer works.
 * - ONIMBOTMESSAGEUPDATE / ONIMBOTMESSAGEDELETE: about an existing message of the user in the dialog
 *   (MESSAGE_ID, or the user's newest); the message itself is not changed.
 * - ONIMBOTJOINCHAT: the bot is told the dialog was opened (or that it joined the chat); nothing changes.
 * - ONIMBOTDELETE: the bot is told it was deleted by the user; it is not.
 * - ONAPPUPDATE: the app is told its current version replaced the previous; nothing changes.
 *
 * A private dialog the user never had with the bot is created, without the ONIMBOTJOINCHAT a
 * first message would send: a test sends the one event asked for.
 */
import type { Db } from '../store/db.ts';
import type { Portal } from '../portal.ts';
import { fail } from '../errors.ts';
import { markTest, type OutboxEvent } from '../events/outbox.ts';
import { queueBotDelete, queueJoin } from '../events/bot-events.ts';
import { runAction } from './action.ts';
import { queueInstallEvent } from './apps.ts';
import { listBots, type ListedBot } from './bots.ts';
import { findChat, isMember, privateChat } from './chats.ts';
import { deletedText, postMessage, tellChange } from './messages.ts';
import { findUser } from './users.ts';
import { mention } from '../wire/names.ts';
import type { App, Bot, Chat, Message, User } from './types.ts';

/** The bot events a test can fire, each with the bot's handler it goes to. */
const BOT_HANDLERS = {
  ONIMBOTMESSAGEADD: 'h_message_add', ONIMBOTMESSAGEUPDATE: 'h_message_update', ONIMBOTMESSAGEDELETE: 'h_message_delete',
  ONIMBOTJOINCHAT: 'h_welcome', ONIMBOTDELETE: 'h_bot_delete',
} as const;

/** Every event a test can fire, in the order the console offers them. */
export const TEST_EVENTS = [...Object.keys(BOT_HANDLERS), 'ONIMCOMMANDADD', 'ONAPPUPDATE'] as const;

/** An event the app has a handler for, and the bots (and, for ONIMCOMMANDADD, commands) it can be about. */
export interface TestableEvent { event: string; bots: number[]; commands: { id: number; botId: number; command: string }[] }

/** The events a test can send to this app: those it has a handler for (none while it is not installed). */
export async function testableEvents(db: Db, app: App): Promise<TestableEvent[]> {
  if (!app.installed) return [];
  const bots = await listBots(db, app.id);
  const out: TestableEvent[] = [];
  for (const [event, handler] of Object.entries(BOT_HANDLERS)) {
    const handling = bots.filter((b) => b[handler]);
    if (handling.length) out.push({ event, bots: handling.map((b) => b.id), commands: [] });
  }
  const commands = bots.flatMap((b) => b.commands.filter((c) => c.handler_url).map((c) => ({ id: c.id, botId: b.id, command: c.command })));
  if (commands.length) out.push({ event: 'ONIMCOMMANDADD', bots: [...new Set(commands.map((c) => c.botId))], commands });
  // The app's own handler (or initial installation path) always takes ONAPPUPDATE.
  out.push({ event: 'ONAPPUPDATE', bots: [], commands: [] });
  return out;
}

/** What a test event is about; left out, the user is the caller and the dialog their private one with the bot. */
export interface TestEventInput {
  app: App;
  event: string;
  /** The caller: the user when none is named. */
  caller: User;
  botId?: number;
  userId?: number;
  /** A chat the bot and the user are in, instead of their private dialog. */
  chatId?: number;
  text?: string;
  command?: string;
  commandParams?: string;
  /** ONIMBOTMESSAGEUPDATE / DELETE: the message (the user's newest in the dialog when left out). */
  messageId?: number;
  /** Build and answer the events, then roll back: nothing is posted or sent. */
  preview?: boolean;
}

/** The events a test queued (ids 0 in a preview), and the dialog it was about. */
export interface TestEventResult { ids: number[]; events: OutboxEvent[]; chatId: number; messageId: number }

/** Thrown to roll a preview's action back with what it built. */
class Preview extends Error {
  constructor(readonly result: TestEventResult) {
    super('preview');
  }
}

/** Send (or preview) a test event; fails with the documented errors before anything is written. */
export async function sendTestEvent(portal: Portal, input: TestEventInput): Promise<TestEventResult> {
  const { app } = input;
  const event = input.event.toUpperCase();
  if (!app.installed) fail('ERROR_ARGUMENT', `The application ${app.id} is not installed`);
  const offered = (await testableEvents(portal.db, app)).find((e) => e.event === event);
  if (!offered) {
    if (!(TEST_EVENTS as readonly string[]).includes(event)) fail('ERROR_ARGUMENT', `EVENT must be one of: ${TEST_EVENTS.join(', ')}`);
    fail('ERROR_ARGUMENT', `The application ${app.id} has no handler for ${event}`);
  }
  const user = input.userId ? await findUser(portal.db, input.userId) : input.caller;
  if (!user) fail('USER_NOT_FOUND', `User ${input.userId} not found`);
  if (user.is_bot) fail('ERROR_ARGUMENT', `User ${user.id} is a bot: bots do not hear bots, choose a person`);
  try {
    return await runAction(portal, async (trx) => {
      const run = markTest(trx);
      const about = event === 'ONAPPUPDATE'
        ? await appUpdate(trx, app, input.userId ? user.id : app.install_user_id)
        : await botEvent(portal, trx, input, event, offered, user);
      if (!run.queued.some((e) => e.event === event)) fail('ERROR_ARGUMENT', `${event} would not reach the bot: ${about.why}`);
      const result = { ids: run.ids, events: run.queued, chatId: about.chatId, messageId: about.messageId };
      if (input.preview) throw new Preview({ ...result, ids: [] });
      return result;
    });
  } catch (err) {
    if (err instanceof Preview) return err.result;
    throw err;
  }
}

/** What a test was about, and why its event might not be sent. */
interface About { chatId: number; messageId: number; why: string }

// ONAPPUPDATE as a reinstall sends it, about the current version (the previous is one less); its
// tokens are those of the user named, or of the installing user, as a real one's.
async function appUpdate(db: Db, app: App, authUserId: number): Promise<About> {
  await queueInstallEvent(db, app, Math.max(1, app.version - 1), authUserId);
  return { chatId: 0, messageId: 0, why: 'no handler' };
}

async function botEvent(portal: Portal, db: Db, input: TestEventInput, event: string, offered: TestableEvent, user: User): Promise<About> {
  const bots = (await listBots(db, input.app.id)).filter((b) => offered.bots.includes(b.id));
  const bot = chooseBot(bots, input.botId, event, input.command);
  if (event === 'ONIMBOTDELETE') {
    await queueBotDelete(db, bot, user.id);
    return { chatId: 0, messageId: 0, why: 'no handler' };
  }
  const chat = await dialogOf(db, bot, user, input.chatId);
  const only = (b: Bot) => b.id === bot.id;
  if (event === 'ONIMBOTJOINCHAT') {
    await queueJoin(db, chat, [bot], user);
    return { chatId: chat.id, messageId: 0, why: 'no handler' };
  }
  if (event === 'ONIMBOTMESSAGEUPDATE' || event === 'ONIMBOTMESSAGEDELETE') {
    const message = await messageOf(db, chat, user, input.messageId);
    const update = event === 'ONIMBOTMESSAGEUPDATE';
    await tellChange(db, update ? 'update' : 'delete', message, user, update ? input.text || message.text : deletedText(message), only);
    return { chatId: chat.id, messageId: message.id, why: `in chat ${chat.id} it hears only messages that mention it` };
  }
  let text = (input.text ?? '').trim();
  if (event === 'ONIMCOMMANDADD') {
    const command = bot.commands.find((c) => c.handler_url && c.command.toLowerCase() === (input.command ?? '').replace(/^\//, '').toLowerCase());
    if (!command) fail('COMMAND_ID_ERROR', `Bot ${bot.id} has no command /${input.command ?? ''} with a handler`);
    text = `/${command.command} ${input.commandParams ?? ''}`.trim();
  } else {
    if (!text) fail('ERROR_ARGUMENT', 'MESSAGE (the text the user sends) is required');
    if (chat.type !== 'P' && bot.type !== 'S' && !new RegExp(`\\[USER=${bot.id}[\\]\\s]`, 'i').test(text)) text = `${mention(bot)} ${text}`;
  }
  const message = await postMessage(portal, db, chat, user, { text }, only);
  const why = event === 'ONIMCOMMANDADD' ? 'the command is not usable in that chat' : 'the text is a command of the bot (send ONIMCOMMANDADD)';
  return { chatId: chat.id, messageId: message.id, why };
}

/** The bot a test is about: BOT_ID, or the app's only bot handling the event (the command's bot for ONIMCOMMANDADD). */
function chooseBot(bots: ListedBot[], botId: number | undefined, event: string, command: string | undefined): ListedBot {
  if (botId) {
    const bot = bots.find((b) => b.id === botId);
    if (!bot) fail('BOT_ID_ERROR', `Bot ${botId} is not a bot of this application with a handler for ${event}`);
    return bot;
  }
  const word = (command ?? '').replace(/^\//, '').toLowerCase();
  const candidates = event === 'ONIMCOMMANDADD' && word ? bots.filter((b) => b.commands.some((c) => c.handler_url && c.command.toLowerCase() === word)) : bots;
  if (candidates.length === 1) return candidates[0];
  if (!candidates.length) fail('COMMAND_ID_ERROR', `No bot of this application has the command /${word} with a handler`);
  return fail('ERROR_ARGUMENT', `Several bots of this application handle ${event}: pass BOT_ID (${candidates.map((b) => b.id).join(', ')})`);
}

/** The user's private dialog with the bot, or a chat they are both in (ACCESS_ERROR otherwise). */
async function dialogOf(db: Db, bot: Bot, user: User, chatId: number | undefined): Promise<Chat> {
  if (!chatId) return privateChat(db, user, bot.id, false);
  const chat = await findChat(db, chatId);
  if (!chat) fail('CHAT_NOT_FOUND', `Chat ${chatId} not found`);
  if (!(await isMember(db, chat.id, bot.id))) fail('ACCESS_ERROR', `Bot ${bot.id} is not a member of chat ${chat.id}`);
  if (!(await isMember(db, chat.id, user.id))) fail('ACCESS_ERROR', `User ${user.id} is not a member of chat ${chat.id}`);
  return chat;
}

/** The message an update or delete test is about: MESSAGE_ID (the user's, in that dialog) or the user's newest there. */
async function messageOf(db: Db, chat: Chat, user: User, messageId: number | undefined): Promise<Message> {
  let q = db.selectFrom('messages').selectAll().where('chat_id', '=', chat.id).where('author_id', '=', user.id).where('deleted', '=', 0);
  if (messageId) q = q.where('id', '=', messageId);
  const message = await q.orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!message) {
    fail('ERROR_ARGUMENT', messageId
      ? `Message ${messageId} is not a message of user ${user.id} in that dialog`
      : `User ${user.id} has no message in that dialog to refer to: send a test ONIMBOTMESSAGEADD first, or pass MESSAGE_ID`);
  }
  return message;
}
