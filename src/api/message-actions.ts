/**
 * The bodies im.message.* and imbot.message.* share: add, update, delete and like a message as an
 * actor (the calling user, or the calling bot as its user), once the codecs have read and checked
 * the call. Each change is one action (src/domain/action.ts); the link preview follows its commit.
 */
import { fail } from '../errors.ts';
import type { Portal } from '../portal.ts';
import type { CallContext } from '../rest/registry.ts';
import type { InputOf } from '../rest/schema.ts';
import type { editParams, newMessageParams } from './codecs/messages.ts';
import { runAction } from '../domain/action.ts';
import { lineDialog, openDialog } from '../domain/chats.ts';
import { previewLink } from '../domain/link-preview.ts';
import { checkReply } from '../domain/message-access.ts';
import { deleteMessage, editMessage, likeMessage, postMessage, type NewMessage } from '../domain/messages.ts';
import { forwardMessages, sentWithUuid } from '../domain/message-forward.ts';
import { lineMessageChanged, linePosted } from '../domain/lines/line-messages.ts';
import { networkPosted } from '../domain/lines/network.ts';
import type { Chat, DialogRef, Message, User } from '../domain/types.ts';
import type { Db } from '../domain/action.ts';

/** Where a new message goes: a dialog, or a bot's system line in two users' private dialog (FROM_USER_ID, TO_USER_ID). */
export type Destination = DialogRef | { kind: 'line'; from: number; to: number };

/** A new message's content as its codecs read it (codecs/messages.ts, newMessageParams). */
export type ContentInput = InputOf<ReturnType<typeof newMessageParams>>;

/** A new message from its content codecs. */
export function newMessage(input: ContentInput, replyId = 0): NewMessage {
  return { text: input.MESSAGE, attach: input.ATTACH ?? undefined, keyboard: input.KEYBOARD, menu: input.MENU, urlPreview: input.URL_PREVIEW, system: input.SYSTEM, replyId };
}

/** Post `content` as `actor` to `to`; answers the new message's id. */
export async function addMessage(ctx: CallContext, actor: User, to: Destination, content: NewMessage): Promise<number> {
  const id = await runAction(ctx.portal, async (trx) => {
    // A bot's line in two users' dialog (asked for by one of them, ctx.user) is a system message.
    if (to.kind === 'line') return (await postMessage(ctx.portal, trx, await lineDialog(trx, ctx.user, to.from, to.to), actor, { ...content, system: true })).id;
    return postInto(ctx, trx, await openDialog(trx, actor, to, 'write'), actor, content);
  });
  previewLink(ctx.portal, id, content.text, content.urlPreview !== false);
  return id;
}

/** Post `content` into an opened dialog, with what a message there sets off (open lines, network lines). */
async function postInto(ctx: CallContext, trx: Db, chat: Chat, actor: User, content: NewMessage): Promise<number> {
  if (content.replyId) await checkReply(trx, content.replyId, chat.id, actor.id);
  const message = await postMessage(ctx.portal, trx, chat, actor, content);
  if (chat.type === 'L') await linePosted(ctx.portal, trx, chat, actor, message);
  // A person writing to a network line's bot writes to the line.
  if (chat.type === 'P' && !actor.is_bot) await networkPosted(ctx.portal, trx, chat, actor, message);
  return message.id;
}

/**
 * imbot.v2's send: the message (when it has content) then the forwarded ones, in one action. With a
 * `uuid` (templateId) already sent by `actor` into that dialog, nothing is posted again and the
 * first send's message is answered: a bot that retries after a lost answer does not say it twice.
 * `id` is the message's, or the first forwarded one's when there is no message of its own.
 */
export async function sendWithForwards(ctx: CallContext, actor: User, to: DialogRef, content: NewMessage | undefined, forwards: [string, number][], uuid: string): Promise<{ id: number; uuidMap: Record<string, number> }> {
  const sent = await runAction(ctx.portal, async (trx) => {
    const chat = await openDialog(trx, actor, to, 'write');
    const earlier = uuid ? await sentWithUuid(ctx.portal, trx, chat, actor, uuid) : undefined;
    if (earlier) return { id: earlier.id, uuidMap: {}, fresh: false };
    const id = content ? await postInto(ctx, trx, chat, actor, { ...content, uuid }) : 0;
    const uuidMap = await forwardMessages(ctx.portal, trx, chat, actor, forwards);
    return { id: id || Object.values(uuidMap)[0] || 0, uuidMap, fresh: !!content };
  });
  if (sent.fresh && content) previewLink(ctx.portal, sent.id, content.text, content.urlPreview !== false);
  return { id: sent.id, uuidMap: sent.uuidMap };
}

/** An edit as its codecs read it (codecs/messages.ts, editParams): undefined leaves a part as it is, null removes it. */
export type EditInput = InputOf<ReturnType<typeof editParams>>;

/**
 * Edit `message` as `actor`; an empty MESSAGE with nothing else deletes it (as documented).
 * `markAttach`: an ATTACH change marks it edited (im.message.update's IS_EDITED); a new text always does.
 */
export async function updateMessage(portal: Portal, message: Message, actor: User, edit: EditInput, markAttach: boolean): Promise<void> {
  const retext = !!edit.MESSAGE && edit.MESSAGE !== message.text;
  await runAction(portal, async (trx) => {
    if (edit.MESSAGE === '' && ![edit.ATTACH, edit.KEYBOARD, edit.MENU].some(Boolean)) {
      await deleteMessage(trx, message, actor, false);
      return lineMessageChanged(trx, message, 'delete');
    }
    await editMessage(trx, message, actor, {
      text: edit.MESSAGE || undefined, attach: edit.ATTACH, keyboard: edit.KEYBOARD, menu: edit.MENU,
      markEdited: markAttach && edit.ATTACH !== undefined,
    });
    // OnOpenLineMessageUpdate; a line message that went out to a customer follows its new text there.
    await lineMessageChanged(trx, message, 'update', retext ? edit.MESSAGE! : undefined);
  });
  // The new text's link gets its preview (the old one's went with the old text), unless URL_PREVIEW=N.
  if (retext) previewLink(portal, message.id, edit.MESSAGE!, edit.URL_PREVIEW);
}

/** Delete `message` as `actor`; `complete` leaves no trace of it. */
export async function removeMessage(portal: Portal, message: Message, actor: User, complete: boolean): Promise<void> {
  await runAction(portal, async (trx) => {
    await deleteMessage(trx, message, actor, complete);
    await lineMessageChanged(trx, message, 'delete');
  });
}

/** Like, unlike or toggle `message` as `actor`; WITHOUT_CHANGES when it was so already. */
export async function like(portal: Portal, message: Message, actor: User, action: 'plus' | 'minus' | 'auto'): Promise<void> {
  if (!(await runAction(portal, (trx) => likeMessage(trx, message, actor.id, action)))) fail('WITHOUT_CHANGES');
}
