/**
 * imopenlines.bot.session.*: what a line's bot does with the session it handles — hand it to the
 * queue (operator), to a person or another line (transfer), finish it, send the line's welcome or its
 * own automatic message (message.send). Callable by the bot's own app only (an OAuth token, or a
 * webhook naming the app's CLIENT_ID as imbot.* do), and only in a line chat one of its bots handles.
 */
import { fail } from '../../errors.ts';
import { defineMethod } from '../../rest/registry.ts';
import { c, Codec } from '../../rest/schema.ts';

import { runAction } from '../../domain/action.ts';
import { findChat, isMember } from '../../domain/chats.ts';
import { postMessage } from '../../domain/messages.ts';
import { findUser } from '../../domain/users.ts';
import { findLine } from '../../domain/lines/lines.ts';
import { settingsOf } from '../../domain/lines/config.ts';
import { linePosted } from '../../domain/lines/line-messages.ts';
import { botToQueue, finish, handToBot, transfer } from '../../domain/lines/routing.ts';
import { botsByIds } from '../../domain/bots.ts';
import { openSession, type Session } from '../../domain/lines/sessions.ts';
import type { Portal } from '../../portal.ts';
import type { Bot, Chat } from '../../domain/types.ts';
import { lineBotApp, transferTarget } from '../codecs/line-sessions.ts';
import { checkTarget } from './operator.ts';

// The store's handle as the portal holds it (the API layer does not name the store's own types).
type Db = Portal['db'];

/** CHAT_ID of a bot call: CHAT_ID_EMPTY when missing (the chat itself is checked once the bot is known). */
const chatIdParam = () => c.int().require((v) => v > 0, 'CHAT_ID_EMPTY');

/**
 * The session of `chatId` that one of `bots` handles (the bot stage, that bot holding it), with the
 * bot; WRONG_CHAT otherwise. `member`: a bot still in the chat after handing it over (message.send) will do.
 */
async function botSession(db: Db, chatId: number, bots: Bot[], member = false): Promise<{ chat: Chat; s: Session; bot: Bot }> {
  const chat = await findChat(db, chatId);
  const s = chat?.type === 'L' ? await openSession(db, chat.id) : undefined;
  const bot = s && bots.find((b) => b.id === s.bot_id);
  if (!chat || !s || !bot) fail('WRONG_CHAT');
  const handles = s.stage === 'bot' && s.operator_id === bot.id;
  if (!handles && !(member && (await isMember(db, chat.id, bot.id)))) fail('WRONG_CHAT');
  return { chat, s, bot };
}

// Inside the action: its transaction's handle, never the portal's (SQLite has one connection).
const botUser = async (db: Db, bot: Bot) => (await findUser(db, bot.id)) ?? fail('BOT_ID_ERROR');

defineMethod({
  name: 'imopenlines.bot.session.operator', scope: 'imopenlines', access: 'linebot', denied: 'WRONG_CHAT',
  params: { CHAT_ID: chatIdParam(), CLIENT_ID: lineBotApp() },
  handler: (ctx, { CHAT_ID: chatId, CLIENT_ID: caller }) => runAction(ctx.portal, async (trx) => {
    const { s } = await botSession(trx, chatId, caller.bots);
    if (!(await botToQueue(ctx.portal, trx, s))) fail('WRONG_CHAT');
    return true;
  }),
});

defineMethod({
  name: 'imopenlines.bot.session.transfer', scope: 'imopenlines', access: 'linebot', denied: 'WRONG_CHAT',
  params: {
    CHAT_ID: chatIdParam(),
    // USER_ID (or QUEUE_ID, or TRANSFER_ID) — the target; listed under USER_ID as the seed has it.
    USER_ID: transferTarget(),
    LEAVE: c.flag(false),
    CLIENT_ID: lineBotApp(),
  },
  handler: (ctx, { CHAT_ID: chatId, USER_ID: to, LEAVE: leave, CLIENT_ID: caller }) => runAction(ctx.portal, async (trx) => {
    // Another open-line bot (TYPE=O or OPENLINE=Y) may take over, as the seed's ITR example does;
    // any other bot is the seed's WRONG_CHAT.
    const [target] = 'userId' in to ? await botsByIds(trx, [to.userId]) : [];
    if (target && (target.type === 'O' || target.openline)) {
      const { s, bot } = await botSession(trx, chatId, caller.bots);
      const next = await findUser(trx, target.id);
      if (!next || !(await handToBot(ctx.portal, trx, s, await botUser(trx, bot), next, leave))) fail('OPERATOR_WRONG');
      return true;
    }
    await checkTarget(trx, to, 'WRONG_CHAT');
    const { s, bot } = await botSession(trx, chatId, caller.bots);
    if (!(await transfer(ctx.portal, trx, s, await botUser(trx, bot), to, leave))) fail('OPERATOR_WRONG');
    return true;
  }),
});

defineMethod({
  name: 'imopenlines.bot.session.finish', scope: 'imopenlines', access: 'linebot', denied: 'WRONG_CHAT',
  params: { CHAT_ID: chatIdParam(), CLIENT_ID: lineBotApp() },
  handler: (ctx, { CHAT_ID: chatId, CLIENT_ID: caller }) => runAction(ctx.portal, async (trx) => {
    const { s, bot } = await botSession(trx, chatId, caller.bots);
    if (!(await finish(ctx.portal, trx, s, await botUser(trx, bot), 'finish'))) fail('WRONG_CHAT');
    return true;
  }),
});

/** NAME: WELCOME (the line's greeting) or DEFAULT (MESSAGE); the seed's default is empty, which reads as DEFAULT. */
const messageName = () => new Codec<'WELCOME' | 'DEFAULT'>('WELCOME|DEFAULT', (p, n) => (String(p[n] ?? '').trim().toUpperCase() === 'WELCOME' ? 'WELCOME' : 'DEFAULT'));

defineMethod({
  name: 'imopenlines.bot.session.message.send', scope: 'imopenlines', access: 'linebot', denied: 'WRONG_CHAT',
  params: { CHAT_ID: chatIdParam(), MESSAGE: c.string(), NAME: messageName(), CLIENT_ID: lineBotApp() },
  handler: (ctx, { CHAT_ID: chatId, MESSAGE: text, NAME: name, CLIENT_ID: caller }) => runAction(ctx.portal, async (trx) => {
    const { chat, s, bot } = await botSession(trx, chatId, caller.bots, true);
    const line = await findLine(trx, s.line_id);
    const said = name === 'WELCOME' ? String(line ? settingsOf(line).WELCOME_MESSAGE_TEXT ?? '' : '') : text;
    // DEFAULT with an empty MESSAGE adds nothing; the call is still confirmed.
    if (!said.trim()) return true;
    const author = await botUser(trx, bot);
    const message = await postMessage(ctx.portal, trx, chat, author, { text: said });
    await linePosted(ctx.portal, trx, chat, author, message);
    return true;
  }),
});

