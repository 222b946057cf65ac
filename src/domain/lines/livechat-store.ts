/**
 * The website live chat's records (connector `livechat`, built in, no app): its visitors, each with
 * the hash of their token, and what a visitor may see of their line chat — the messages that went out
 * to them (ol_message_links, incoming 0) and their own (incoming 1), never the portal's internal
 * lines ("X joined") or an operator's silent-mode messages, in a small shape of plain data.
 */
import type { Generated, Selectable } from 'kysely';
import type { Db } from '../../store/db.ts';
import { hashSecret } from '../../auth/secret-hash.ts';
import { isRowId } from '../../store/row-id.ts';
import { fullName } from '../../wire/names.ts';
import { findUsers } from '../users.ts';
import { settingsOf, type Line } from './config.ts';

declare module '../../store/schema.ts' {
  interface Database { ol_livechat_visitors: OlLivechatVisitorsTable }
}

/** The connector code of the website live chat (as Bitrix24 names its channel). */
export const LIVECHAT_CONNECTOR = 'livechat';

export interface OlLivechatVisitorsTable {
  id: Generated<number>;
  line_id: number;
  customer_id: number;
  /** The customer user standing for the visitor (external_auth_id = imconnector): no login, no token, no webhook. */
  user_id: number;
  chat_id: number;
  /** SHA-256 of the visitor's token (src/auth/secret-hash.ts); the token itself is only in the answer that made it. */
  token_hash: string;
  name: string;
  email: string;
  phone: string;
  /** The site origin the visitor came from ('' when the request named none). */
  origin: string;
  created_at: number;
}

export type Visitor = Selectable<OlLivechatVisitorsTable>;

/** The visitor a token belongs to, with their line, while the line is active; undefined otherwise. */
export async function visitorByToken(db: Db, token: string): Promise<{ visitor: Visitor; line: Line } | undefined> {
  if (!/^[0-9a-f]{64}$/.test(token)) return undefined;
  const visitor = await db.selectFrom('ol_livechat_visitors').selectAll().where('token_hash', '=', hashSecret(token)).executeTakeFirst();
  if (!visitor) return undefined;
  const line = await db.selectFrom('ol_lines').selectAll().where('id', '=', visitor.line_id).executeTakeFirst();
  return line?.active ? { visitor, line } : undefined;
}

/** A visitor by id (a signed file link names one); undefined when there is none. */
export async function findVisitor(db: Db, id: number): Promise<Visitor | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('ol_livechat_visitors').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Who wrote a message, as the visitor is shown it. */
export type AuthorKind = 'visitor' | 'operator' | 'bot' | 'system';

/** One message as the widget gets it: data only; `text` is BB-code as stored, for the widget's escaping renderer. */
export interface WidgetMessage {
  id: number;
  author: { kind: AuthorKind; name: string };
  text: string;
  /** ISO 8601. */
  date: string;
  edited?: true;
  keyboard?: unknown;
  /** The keyboard waits for the bot after a BLOCK=Y press: its buttons are refused until the bot edits it. */
  keyboardBlocked?: true;
  /** The bot's context menu of the message (its MENU items), as stored. */
  menu?: unknown;
  attach?: unknown;
  /** The message's files (livechat-files.ts adds them: their URLs are signed for the visitor). */
  files?: WidgetFile[];
}

/** A file of a message as the widget gets it; `url` downloads it, for this visitor only, until it expires. */
export interface WidgetFile { id: number; name: string; size: number; type: 'image' | 'file'; url: string }

const parsed = (json: string | null): unknown => (json ? JSON.parse(json) : undefined);

/** The newest messages a visitor may see in their chat (after `afterId` when given), oldest first. */
export async function visitorMessages(db: Db, visitor: Visitor, line: Line, opts: { afterId?: number; ids?: number[]; limit: number }): Promise<WidgetMessage[]> {
  let q = db.selectFrom('messages').innerJoin('ol_message_links', 'ol_message_links.message_id', 'messages.id')
    .selectAll('messages').where('messages.chat_id', '=', visitor.chat_id).where('ol_message_links.chat_id', '=', visitor.chat_id)
    .where('messages.deleted', '=', 0)
    // A type-H bot's answer is written ahead of the time it shows (src/domain/messages.ts humanDelay).
    .where('messages.created_at', '<=', Date.now());
  if (opts.afterId !== undefined && isRowId(opts.afterId)) q = q.where('messages.id', '>', opts.afterId);
  if (opts.ids) q = q.where('messages.id', 'in', opts.ids.filter(isRowId).length ? opts.ids.filter(isRowId) : [0]);
  // The newest `limit`, then put back in order: a returning visitor sees the end of a long history.
  const rows = (await q.orderBy('messages.id', 'desc').limit(opts.limit).execute()).reverse();
  const authors = await findUsers(db, [...new Set(rows.map((r) => Number(r.author_id)).filter((id) => id > 0))]);
  const hideOperators = settingsOf(line).OPERATOR_DATA === 'hide';
  return rows.map((r) => {
    const authorId = Number(r.author_id);
    const u = authors.get(authorId);
    const kind: AuthorKind = authorId === Number(visitor.user_id) ? 'visitor' : !u || r.system ? 'system' : u.is_bot ? 'bot' : 'operator';
    const name = kind === 'visitor' ? visitor.name : kind === 'operator' && !hideOperators ? fullName(u!) : line.name;
    const m: WidgetMessage = { id: Number(r.id), author: { kind, name }, text: r.text, date: new Date(Number(r.created_at)).toISOString() };
    if (r.edited) m.edited = true;
    const keyboard = parsed(r.keyboard);
    const menu = parsed(r.menu);
    const attach = parsed(r.attach);
    if (keyboard) m.keyboard = keyboard;
    if (keyboard && r.keyboard_blocked) m.keyboardBlocked = true;
    if (menu) m.menu = menu;
    if (attach) m.attach = attach;
    return m;
  });
}

/** Where reading stands in a visitor's chat: how far the line's people read, and what the visitor has not read yet. */
export interface VisitorReadState {
  /** The highest message id an operator (a person of the portal, not a bot) has read; 0 when none. */
  readId: number;
  /** The visitor's own read position. */
  myReadId: number;
  /** Messages the visitor may see, written by others, after their read position. */
  unread: number;
}

/** The reading state of the visitor's chat (livechat-store's view: only messages linked to them count as unread). */
export async function visitorReadState(db: Db, visitor: Visitor): Promise<VisitorReadState> {
  const members = await db.selectFrom('chat_members').innerJoin('users', 'users.id', 'chat_members.user_id')
    .select(['chat_members.user_id', 'chat_members.last_read_id', 'users.is_bot'])
    .where('chat_members.chat_id', '=', visitor.chat_id).execute();
  let readId = 0;
  let myReadId = 0;
  for (const m of members) {
    if (Number(m.user_id) === Number(visitor.user_id)) myReadId = Number(m.last_read_id);
    else if (!m.is_bot) readId = Math.max(readId, Number(m.last_read_id));
  }
  const row = await db.selectFrom('messages').innerJoin('ol_message_links', 'ol_message_links.message_id', 'messages.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('messages.chat_id', '=', visitor.chat_id).where('ol_message_links.chat_id', '=', visitor.chat_id)
    .where('messages.deleted', '=', 0).where('messages.id', '>', myReadId).where('messages.author_id', '!=', visitor.user_id)
    .where('messages.created_at', '<=', Date.now()).executeTakeFirst();
  return { readId, myReadId, unread: Number(row?.n ?? 0) };
}
