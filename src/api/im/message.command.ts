/** im.message.command: a user pressing a bot's keyboard button or menu item on a message they see. */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { findBotCommand } from '../../domain/commands.ts';
import { blockKeyboard, eventInput, findMessage, findPressedButton } from '../../domain/messages.ts';
import { memberIds, openDialog } from '../../domain/chats.ts';
import { botsByIds } from '../../domain/bots.ts';
import { canReadMessage } from '../../domain/message-access.ts';
import { queueCommands } from '../../domain/commands.ts';
import { commandWord } from '../codecs/bots.ts';

defineMethod({
  name: 'im.message.command', scope: 'im', access: 'message', denied: 'MESSAGE_ID_ERROR',
  params: {
    MESSAGE_ID: c.id('MESSAGE_ID_ERROR', 'MESSAGE_ID is not set or is not a number'),
    BOT_ID: c.id('BOT_ID_ERROR', 'BOT_ID is not set or is not a number'),
    COMMAND: commandWord().require((v) => v !== '', 'COMMAND_ERROR', 'COMMAND is not set'),
    COMMAND_PARAMS: c.string(),
  },
  async handler(ctx, { MESSAGE_ID: messageId, BOT_ID: botId, COMMAND: name, COMMAND_PARAMS: params }) {
    const db = ctx.portal.db;
    const message = await findMessage(db, messageId);
    if (!message || message.deleted) fail('MESSAGE_ID_ERROR', 'Message not found');
    // Only a message the caller sees (not of a chat they are out of, not of history hidden from them
    // when they joined) has buttons for them to press; any other is answered like a missing one.
    if (!(await canReadMessage(db, message, ctx.user.id))) fail('MESSAGE_ID_ERROR', 'Message not found');
    const chat = await runAction(ctx.portal, async (trx) => openDialog(trx, ctx.user, { kind: 'chat', chatId: message.chat_id }, 'read'));
    // Only a button or menu item of that message may be pressed, and not while its keyboard is blocked.
    const pressed = findPressedButton(message, botId, name, params);
    if (!pressed) fail('PARAMS_ERROR', 'COMMAND_PARAMS is not set or does not match a command of the bot');
    if (pressed.blocked) fail('PARAMS_ERROR', 'The keyboard is blocked until the bot answers');
    const [bot] = await botsByIds(db, [botId]);
    if (!bot) fail('BOT_ID_ERROR', 'Bot not found');
    const command = await findBotCommand(db, botId, name);
    if (!command) fail('COMMAND_ERROR', 'The bot has no such command');
    await runAction(ctx.portal, async (trx) => {
      if (pressed.block) await blockKeyboard(trx, message);
      const members = await memberIds(trx, chat.id);
      const input = await eventInput(trx, chat, message, ctx.user, message.text, members, []);
      await queueCommands(trx, input, pressed.context, [{ command, bot, params }]);
    });
    return true;
  },
});
