/**
 * im.message.share: make something new from a message of a dialog the caller can read — a group chat
 * (TYPE CHAT) or a task (TYPE TASK). A News-feed post (POST) and a calendar event (CALEND) need modules
 * Parley does not have: they answer PARAMS_ERROR, the documented code for a TYPE that is not available.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { wireDate } from '../wire.ts';
import { createChat, openDialog } from '../../domain/chats.ts';
import { findMessage, postMessage, postSystemMessage } from '../../domain/messages.ts';
import { canReadMessage } from '../../domain/message-access.ts';
import { findUser, fullName } from '../../domain/users.ts';
import { createTask, TaskError } from '../../domain/tasks.ts';
import { memberIds } from '../../domain/chats.ts';
import { dialogId } from '../codecs/dialogs.ts';
import type { Message } from '../../domain/types.ts';
import { runAction } from '../../domain/action.ts';
import { systemLines } from '../../domain/system-lines.ts';

const UNAVAILABLE: Partial<Record<string, string>> = {
  POST: 'Parley has no News feed: TYPE POST is not available',
  CALEND: 'Parley has no calendar: TYPE CALEND is not available',
  // Spelt out by some callers; Bitrix24's value is CALEND.
  CALENDAR: 'Parley has no calendar: TYPE CALEND is not available',
};

// A one-line title from a message: BB-code tags dropped, whitespace folded, cut at `max` characters.
function titleOf(message: Message, max: number): string {
  const plain = message.text.replace(/\[\/?[a-z]+(?:[= ][^\]]*)?\]/gi, '').replace(/\s+/g, ' ').trim();
  const chars = [...plain];
  if (!chars.length) return `Message #${message.id}`;
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : plain;
}

defineMethod({
  name: 'im.message.share', scope: 'im', access: 'message', denied: 'MESSAGE_ID_ERROR',
  params: {
    MESSAGE_ID: c.id('MESSAGE_ID_ERROR'),
    DIALOG_ID: dialogId(),
    TYPE: c.trimmed().map((v) => {
      const type = v.toUpperCase();
      const unavailable = UNAVAILABLE[type];
      if (unavailable) fail('PARAMS_ERROR', unavailable);
      if (type !== 'CHAT' && type !== 'TASK') fail('PARAMS_ERROR', 'TYPE must be CHAT, TASK, POST or CALEND');
      return type;
    }, 'CHAT|TASK|POST|CALEND'),
  },
  async handler(ctx, { MESSAGE_ID: messageId, DIALOG_ID: ref, TYPE: type }) {
    await runAction(ctx.portal, async (trx) => {
      const chat = await openDialog(trx, ctx.user, ref, 'read');
      const message = await findMessage(trx, messageId);
      if (!message || message.deleted || message.chat_id !== chat.id || !(await canReadMessage(trx, message, ctx.user.id))) {
        fail('MESSAGE_ID_ERROR', 'Message not found in this dialog');
      }
      if (type === 'TASK') {
        let taskId: number;
        try {
          taskId = await createTask(trx, { id: ctx.user.id, isAdmin: !!ctx.user.is_admin }, {
            title: titleOf(message, 250), description: message.text, responsibleId: ctx.user.id, createdBy: ctx.user.id,
          });
        } catch (err) {
          if (err instanceof TaskError) fail('PARAMS_ERROR', `The task could not be created: ${err.problem}`);
          throw err;
        }
        await postSystemMessage(ctx.portal, trx, chat, systemLines.taskFromMessage(ctx.user, taskId, titleOf(message, 100)), ctx.user.id);
        return;
      }
      // A chat from a message: the sharer and the people of the conversation it came from (both sides of a
      // private dialog; in a chat, the message's author), opening with the message quoted.
      const others = chat.type === 'P' ? await memberIds(trx, chat.id) : [message.author_id];
      const users = [...new Set(others.filter((id) => id > 0 && id !== ctx.user.id))];
      const created = await createChat(ctx.portal, trx, ctx.user, {
        type: 'C', title: titleOf(message, 100), description: '', color: '', ownerId: ctx.user.id, userIds: users, entityType: '', entityId: '',
      });
      const author = message.author_id ? await findUser(trx, message.author_id) : undefined;
      const line = '------------------------------------------------------';
      const quote = `${line}\n${author ? fullName(author) : 'System'} [${wireDate(message.created_at)}]\n${message.text}\n${line}`;
      await postMessage(ctx.portal, trx, created, ctx.user, { text: quote });
      await postSystemMessage(ctx.portal, trx, chat, systemLines.chatFromMessage(ctx.user, created), ctx.user.id);
    });
    return true;
  },
});
