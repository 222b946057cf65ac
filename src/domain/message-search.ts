/**
 * Full-text search over the messages a user may read: in one chat (im.dialog.messages.search), or in
 * every dialog at once (parley.message.search, the messenger's search) — the chats they are a member
 * of from where their history starts (HIDE_HISTORY), their private dialogs, and open chats, which
 * every user of the portal may read. Never a message of a chat they cannot read, whatever the
 * filters say. Words are matched by their stems (src/text/terms.ts) through the index
 * (src/store/message-terms.ts); deleted messages, and messages not due yet (a type-H bot's pending
 * answer), are never found.
 */
import type { Portal } from '../portal.ts';
import { MAX_ROW_ID } from '../store/row-id.ts';
import { matchesTerms } from '../store/message-terms.ts';
import { queryOf, type TermQuery } from '../text/terms.ts';
import { snippetOf, snippetPieces, type Snippet } from '../text/snippet.ts';
import { escapeHtml } from '../format/bbcode-render.ts';
import { bbcodeToText } from '../format/bbcode-text.ts';
import { dialogIdFor } from '../wire/dialog-id.ts';
import { membership } from './read-state.ts';
import { withParts } from './messages.ts';
import { findUsers } from './users.ts';
import type { Chat, Message, MessageView, User } from './types.ts';

/** What to look for; every filter narrows, none widens what the viewer may read. */
export interface MessageFilter {
  /** The search string; undefined: no text condition (im.dialog.messages.search's short SEARCH_MESSAGE). */
  text?: string;
  /** Only this chat, already opened for the viewer to read (member, or an open chat). */
  chat?: Chat;
  /** Only messages of this author. */
  authorId?: number;
  /** Only messages dated within [from, to] (Unix ms). */
  from?: number;
  to?: number;
  /** Newest first (default) or oldest first. */
  order?: 'asc' | 'desc';
  /** A paging position: messages past this id in the order asked for. */
  lastId?: number;
  limit: number;
}

/** A page of found messages with their likes and files, and the query that found them (for snippets). */
export interface FoundMessages { messages: MessageView[]; query?: TermQuery; more: boolean }

/** The messages `viewerId` may read that match `f`, at most `f.limit`, and whether more follow. */
export async function searchMessages(portal: Portal, viewerId: number, f: MessageFilter): Promise<FoundMessages> {
  const db = portal.db;
  const query = f.text === undefined ? undefined : queryOf(f.text);
  // A search string without a single word matches nothing.
  if (query && !query.terms.length) return { messages: [], query, more: false };
  const order = f.order ?? 'desc';
  let q = db.selectFrom('messages').selectAll('messages').where('messages.deleted', '=', 0).where('messages.created_at', '<=', Date.now());
  if (query) q = q.where(matchesTerms(portal.store.caps, 'messages.id', query));
  if (f.chat) {
    q = q.where('messages.chat_id', '=', f.chat.id);
    // A member added with HIDE_HISTORY reads from their start on; an open chat's history is everyone's.
    const startId = f.chat.type === 'O' ? 0 : Number((await membership(db, f.chat.id, viewerId))?.start_id ?? 0);
    if (startId > 0) q = q.where('messages.id', '>=', startId);
  } else {
    q = q.where((eb) => eb.or([
      eb('messages.chat_id', 'in', eb.selectFrom('chats').select('chats.id').where('chats.type', '=', 'O')),
      eb.exists(eb.selectFrom('chat_members').select('chat_members.user_id')
        .whereRef('chat_members.chat_id', '=', 'messages.chat_id').where('chat_members.user_id', '=', viewerId)
        .whereRef('chat_members.start_id', '<=', 'messages.id')),
    ]));
  }
  if (f.authorId) q = q.where('messages.author_id', '=', f.authorId);
  if (f.from !== undefined) q = q.where('messages.created_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('messages.created_at', '<=', f.to);
  if (f.lastId) q = q.where('messages.id', order === 'desc' ? '<' : '>', Math.min(f.lastId, MAX_ROW_ID));
  const rows = await q.orderBy('messages.id', order).limit(f.limit + 1).execute();
  const page = rows.slice(0, f.limit);
  return { messages: await withParts(db, page), query, more: rows.length > f.limit };
}

/**
 * The snippet of a found message: its plain text around the first matched word, the matched words'
 * ranges, and the same as HTML — escaping first, every piece on its own, then `<mark>` around the hits.
 */
export function snippetFor(message: Message, query: TermQuery | undefined): Snippet & { html: string } {
  const snippet = snippetOf(bbcodeToText(message.text), query ?? { terms: [] });
  const html = snippetPieces(snippet.text, snippet.marks).map((p) => (p.hit ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text))).join('');
  return { ...snippet, html };
}

/**
 * The messages the found ones answer (REPLY_ID) that are not among them, as im.dialog.messages.search
 * adds them (`additionalMessages`): only of the same chat and of the history the viewer reads.
 */
export async function repliedMessages(portal: Portal, viewerId: number, chat: Chat, found: Message[]): Promise<MessageView[]> {
  const have = new Set(found.map((m) => m.id));
  const ids = [...new Set(found.map((m) => Number(m.reply_id)).filter((id) => id > 0 && !have.has(id)))];
  if (!ids.length) return [];
  const startId = chat.type === 'O' ? 0 : Number((await membership(portal.db, chat.id, viewerId))?.start_id ?? 0);
  const rows = await portal.db.selectFrom('messages').selectAll().where('id', 'in', ids).where('chat_id', '=', chat.id)
    .where('id', '>=', startId).where('created_at', '<=', Date.now()).orderBy('id', 'desc').execute();
  return withParts(portal.db, rows);
}

/** A chat of search results as the viewer names it: its DIALOG_ID, and the other person of a private dialog. */
export interface FoundChat { chat: Chat; dialogId: string; peer?: User }

/** The chats of a page of results (`chatIds`), each with how `viewerId` names and sees it. */
export async function chatsOfResults(portal: Portal, viewerId: number, chatIds: number[]): Promise<FoundChat[]> {
  const ids = [...new Set(chatIds)];
  if (!ids.length) return [];
  const chats = await portal.db.selectFrom('chats').selectAll().where('id', 'in', ids).orderBy('id').execute();
  const named = chats.map((chat) => ({ chat, dialogId: dialogIdFor(chat, viewerId) }));
  const peers = await findUsers(portal.db, named.filter((c) => c.chat.type === 'P').map((c) => Number(c.dialogId)));
  return named.map((c) => ({ ...c, peer: c.chat.type === 'P' ? peers.get(Number(c.dialogId)) : undefined }));
}
