/**
 * A website visitor presses a bot's keyboard button in the live chat: what im.message.command does
 * for a user, for the visitor's customer user — only on a message the visitor sees (their own line
 * chat, linked to them), only a button (or context-menu item) of that message, not while its keyboard is blocked. The bot
 * gets ONIMCOMMANDADD exactly as it would for a customer of any other channel.
 */
import type { Db } from '../../store/db.ts';
import { fail } from '../../errors.ts';
import { isRowId } from '../../store/row-id.ts';
import { blockKeyboard, eventInput, findMessage, findPressedButton } from '../messages.ts';
import { findChat, memberIds } from '../chats.ts';
import { findUser } from '../users.ts';
import { botsByIds } from '../bots.ts';
import { findBotCommand, queueCommands } from '../commands.ts';
import type { Visitor } from './livechat-store.ts';

/** The visitor presses the COMMAND button or menu item (`command`, `params`) of message `messageId`; WIDGET_COMMAND when it is no such button. */
export async function visitorPresses(db: Db, visitor: Visitor, messageId: number, command: string, params: string): Promise<void> {
  const none = () => fail('WIDGET_COMMAND', 'No such button on a message of this conversation');
  if (!isRowId(messageId)) none();
  const message = await findMessage(db, messageId);
  if (!message || message.deleted || Number(message.chat_id) !== Number(visitor.chat_id)) none();
  const link = await db.selectFrom('ol_message_links').select('message_id').where('message_id', '=', message!.id).where('chat_id', '=', visitor.chat_id).executeTakeFirst();
  if (!link) none();
  // A button names its bot with BOT_ID or belongs to the bot that wrote the message (findPressedButton).
  const botId = Number(message!.author_id);
  const pressed = findPressedButton(message!, botId, command, params);
  // A keyboard button or a context-menu item (MENU): the bot gets ONIMCOMMANDADD with that context.
  if (!pressed) none();
  if (pressed!.blocked) fail('WIDGET_COMMAND', 'The keyboard is blocked until the bot answers');
  const [bot] = await botsByIds(db, [botId]);
  const found = bot ? await findBotCommand(db, botId, command) : undefined;
  if (!bot || !found) none();
  const chat = await findChat(db, Number(visitor.chat_id));
  const user = await findUser(db, Number(visitor.user_id));
  if (!chat || !user) none();
  if (pressed!.block) await blockKeyboard(db, message!);
  const input = await eventInput(db, chat!, message!, user!, message!.text, await memberIds(db, chat!.id), []);
  await queueCommands(db, input, pressed!.context, [{ command: found!, bot: bot!, params }]);
}
