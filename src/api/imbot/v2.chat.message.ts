/**
 * imbot.v2.Chat.Message.send / update / delete (chat-bots-v2/imbot.v2/messages/): a v2 bot writes
 * where it is a member. The bodies are the ones im.message.* and imbot.message.* share
 * (src/api/message-actions.ts) with the bot's user as the actor; `fields` carries the content in
 * camelCase (message up to 20,000 characters, BB-code, attach and keyboard as the classic ATTACH /
 * KEYBOARD, whose format message-keyboards.md keeps for v2).
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail, RestError } from '../../errors.ts';
import { flag, has, int, pick, str, type Params } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import { parseDialogId } from '../../domain/types.ts';
import { findUser } from '../../domain/users.ts';
import { deletableBy } from '../../domain/bots-v2.ts';
import { findEditableMessage } from '../../domain/message-access.ts';
import type { NewMessage } from '../../domain/messages.ts';
import { removeMessage, sendWithForwards, updateMessage, type EditInput } from '../message-actions.ts';
import { capMessage, readPart } from '../message-input.ts';
import { bbcodeIsBlank } from '../../format/bbcode-text.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';

const denied = () => fail('ACCESS_DENIED', 'Access denied');

/**
 * Chat.Message.send's `fields`: the content of a new message, undefined when it has none but
 * forwards; EMPTY_MESSAGE with neither text nor attach nor anything to forward. A text that shows
 * nothing once its tags are gone (`[b][/b]`) counts as no text, unless a keyboard comes with it.
 */
function content(f: Params, botId: number, forwarding: boolean): NewMessage | undefined {
  const attach = readPart('ATTACH', pick(f, 'attach'), false, botId);
  const keyboard = readPart('KEYBOARD', pick(f, 'keyboard'), false, botId);
  const text = capMessage(str(f, 'message').trim());
  if (!attach && (!text || (!keyboard && bbcodeIsBlank(text)))) return forwarding ? undefined : fail('EMPTY_MESSAGE');
  return {
    text, attach: attach ?? undefined, keyboard: keyboard ?? undefined,
    // true/false, or "Y"/"N" for clients without JSON booleans (index.md).
    system: flag(f, 'system'), urlPreview: flag(f, 'urlPreview', true),
    replyId: int(f, 'replyId') > 0 ? int(f, 'replyId') : undefined,
  };
}

// The refusals of the shared message body that mean "the bot is not in that dialog" (or it does not exist).
const NOT_THERE = new Set(['ACCESS_ERROR', 'USER_NOT_FOUND', 'CHAT_ID_EMPTY', 'DIALOG_ID_EMPTY', 'REPLY_ACCESS_ERROR', 'REPLY_FROM_OTHER_CHAT_ERROR']);

/** `messageId` as a number; a missing one names no message of the bot's (ACCESS_DENIED). */
const messageId = () => new Codec<number>('integer', (p, n) => int(p, n), true, 'ACCESS_DENIED');

/** At most this many messages forwarded by one send (the page's limit). */
const MAX_FORWARDS = 100;

/** `fields.forwardIds` `{uuid: messageId}` in the order given; TOO_MANY_FORWARDS beyond 100. */
function forwardIds(f: Params): [string, number][] {
  const raw = pick(f, 'forwardIds');
  if (!raw || typeof raw !== 'object') return [];
  const pairs = Object.entries(raw as Params);
  if (pairs.length > MAX_FORWARDS) fail('TOO_MANY_FORWARDS');
  return pairs.map(([key, id]) => [key.slice(0, 64), Number.isSafeInteger(Number(id)) ? Number(id) : 0]);
}

/** `fields.templateId`: the sender's key of this message (a UUID), at most 64 characters kept. */
const templateId = (f: Params) => str(f, 'templateId').trim().slice(0, 64);

defineMethod({
  name: 'imbot.v2.Chat.Message.send', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), fields: c.object() },
  async handler(ctx, { botId: bot, dialogId, fields }) {
    const forwards = forwardIds(fields);
    const message = content(fields, bot.id, forwards.length > 0);
    const to = parseDialogId(dialogId);
    const actor = await findUser(ctx.portal.db, bot.id);
    if (!to || !actor) return denied();
    try {
      return await sendWithForwards(ctx, actor, to, message, forwards, templateId(fields));
    } catch (err) {
      if (err instanceof RestError && NOT_THERE.has(err.code)) denied();
      throw err;
    }
  },
});

/**
 * Chat.Message.update's `fields` as the shared edit body reads them: each part only when sent,
 * keyboard "N" removes it. An empty text is no new text (the shared body would read it as a delete).
 */
function edit(f: Params, botId: number): EditInput {
  const part = <K extends 'ATTACH' | 'KEYBOARD'>(kind: K, key: string) => (has(f, key) ? readPart(kind, pick(f, key), true, botId) : undefined);
  return {
    MESSAGE: capMessage(str(f, 'message').trim()) || undefined,
    ATTACH: part('ATTACH', 'attach'), KEYBOARD: part('KEYBOARD', 'keyboard'), MENU: undefined,
    URL_PREVIEW: flag(f, 'urlPreview', true),
  };
}

defineMethod({
  name: 'imbot.v2.Chat.Message.update', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), messageId: messageId(), fields: c.object() },
  async handler(ctx, { botId: bot, messageId: id, fields }) {
    const actor = await findUser(ctx.portal.db, bot.id);
    // Only the bot's own messages; a system one (authorId 0 on the wire) is nobody's.
    const message = actor && id > 0 ? await findEditableMessage(ctx.portal.db, id, actor) : undefined;
    if (!actor || !message || message.system) return denied();
    await updateMessage(ctx.portal, message, actor, edit(fields, bot.id), false);
    return { result: true };
  },
});

defineMethod({
  name: 'imbot.v2.Chat.Message.delete', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), messageId: messageId(), complete: c.flag() },
  async handler(ctx, { botId: bot, messageId: id, complete }) {
    const actor = await findUser(ctx.portal.db, bot.id);
    const message = actor && id > 0 ? await deletableBy(ctx.portal.db, id, bot.id) : undefined;
    if (!actor || !message) return denied();
    await removeMessage(ctx.portal, message, actor, complete);
    return { result: true };
  },
});
