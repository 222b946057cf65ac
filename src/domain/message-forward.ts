/**
 * Forwarding (imbot.v2.Chat.Message.send's forwardIds): each original becomes a new message of the
 * forwarder in the target chat — its text, its author's attach objects and copies of its files (the
 * bytes shared, as every copy in Parley), with where it came from (`forward`: FORWARD_* params, the
 * Message object's `forward`). Only what the forwarder sees may be forwarded: a message of a chat it
 * is a member of, from where its history starts, not deleted.
 */
import type { Db } from '../store/db.ts';
import { LOCK_SPACE, lockUntilCommit } from '../store/xact-locks.ts';
import type { Portal } from '../portal.ts';
import { fail } from '../errors.ts';
import { findMessage, postMessage } from './messages.ts';
import { memberSees } from './message-access.ts';
import { chatFolder, copyFile, findFile, messageFileIds } from './files.ts';
import { forwardOf, type ForwardInfo } from '../wire/message.ts';
import type { Chat, Message, User } from './types.ts';

/** Forward `originals` (key → message id, in order) into `chat` as `actor`; answers key → new message id. */
export async function forwardMessages(portal: Portal, db: Db, chat: Chat, actor: User, originals: [string, number][]): Promise<Record<string, number>> {
  const found: Message[] = [];
  for (const [, id] of originals) {
    const original = await findMessage(db, id);
    // ACCESS_DENIED, as the page words it: "the bot can only forward messages from chats where it is a participant".
    if (!original || original.deleted || !(await memberSees(db, original, actor.id))) fail('ACCESS_DENIED', `Message ${id} cannot be forwarded: the bot does not see it`);
    found.push(original);
  }
  const map: Record<string, number> = {};
  const folder = found.length ? await chatFolder(db, chat) : undefined;
  for (const [i, original] of found.entries()) {
    // A copy of a copy names the first original, as a forwarded message keeps its origin.
    const forward: ForwardInfo = forwardOf(original) ?? await originOf(db, original, actor);
    const files: number[] = [];
    for (const fileId of await messageFileIds(db, original.id)) {
      const file = await findFile(db, fileId);
      if (file && !file.deleted) files.push((await copyFile(db, file, folder!, actor)).id);
    }
    const copy = await postMessage(portal, db, chat, actor, {
      text: original.text, attach: original.attach ? JSON.parse(original.attach) : undefined, files, forward, urlPreview: !!original.url_preview,
    });
    if (files.length) await db.updateTable('disk_files').set({ message_id: copy.id }).where('id', 'in', files).execute();
    map[originals[i][0]] = copy.id;
  }
  return map;
}

/** Where `original` is, as its forwarded copy tells it (ForwardInfo says which facts and why). */
async function originOf(db: Db, original: Message, actor: User): Promise<ForwardInfo> {
  const source = await db.selectFrom('chats').select(['id', 'title', 'type']).where('id', '=', original.chat_id).executeTakeFirstOrThrow();
  let dialog = `chat${source.id}`;
  if (source.type === 'P') {
    // A private dialog is named by its two people, the forwarder's companion first (itself in a chat with oneself).
    const other = await db.selectFrom('chat_members').select('user_id').where('chat_id', '=', source.id).where('user_id', '!=', actor.id).executeTakeFirst();
    dialog = `${other ? Number(other.user_id) : actor.id}:${actor.id}`;
  }
  return {
    id: original.id, userId: original.author_id, chatId: source.id, chatTitle: source.type === 'O' ? source.title : '',
    date: original.created_at, contextId: `${dialog}/${original.id}`,
  };
}

/**
 * The message `author` already sent into `chat` under `uuid`, if any (a retried send). Two sends of
 * one key wait for each other here (PostgreSQL), so the second sees the first's message.
 */
export async function sentWithUuid(portal: Portal, db: Db, chat: Chat, author: User, uuid: string): Promise<Message | undefined> {
  await lockUntilCommit(db, portal.store.caps, LOCK_SPACE.messageUuids, [`${author.id}\n${uuid}`]);
  return db.selectFrom('messages').selectAll().where('chat_id', '=', chat.id).where('author_id', '=', author.id).where('uuid', '=', uuid).executeTakeFirst();
}
