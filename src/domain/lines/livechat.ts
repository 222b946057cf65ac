/**
 * The website live chat, a built-in connector of open lines (`livechat`, no app, like `network`): a
 * line's public live-chat code names it, its LIVECHAT_* settings shape the widget, a visitor is an
 * anonymous customer of the connector (a customer user and a line chat of their own, made when they
 * arrive) holding a token, and what they write comes into the line exactly as a connector
 * customer's message does (customers.ts). What goes out to them is recorded by outgoing.ts; they read
 * it through livechat-store.ts. The HTTP side (/widget/<code>/…) is src/http/widget.ts.
 */
import crypto from 'node:crypto';
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import { fail } from '../../errors.ts';
import { hashSecret, secret } from '../../auth/secret-hash.ts';
import { findUsers } from '../users.ts';
import { announceTyping } from '../chats.ts';
import { settingsOf, type Line } from './config.ts';
import { findConnector, type Connector } from './connectors.ts';
import { operatorsOf } from './lines.ts';
import { outsideWorktime } from './worktime.ts';
import { customerFor, receiveCustomerMessage } from './customers.ts';
import { lastSession } from './sessions.ts';
import { availableNow, takeVote } from './routing.ts';
import { LIVECHAT_CONNECTOR, visitorReadState, type Visitor, type VisitorReadState } from './livechat-store.ts';
import { readTo } from '../read-state.ts';
import { isRowId } from '../../store/row-id.ts';

/** Size caps of what a visitor sends, checked before any work. */
export const LIVECHAT_CAPS = { text: 4000, name: 80, email: 254, phone: 32 } as const;

/** How a visitor-form field is asked for. */
export type FormRule = 'off' | 'optional' | 'required';

/** The widget's look and rules, from the line's LIVECHAT_* settings. */
export interface WidgetSettings {
  title: string;
  color: string;
  greeting: string;
  position: 'bottom-right' | 'bottom-left';
  form: { name: FormRule; email: FormRule; phone: FormRule };
  /** Allowed site origins (lower case, no trailing slash); empty: any. */
  origins: string[];
}

/** A normalized origin (`https://shop.example.com[:port]`), or undefined for anything else. */
export function normalOrigin(value: string): string | undefined {
  try {
    const u = new URL(value.trim());
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin !== 'null' ? u.origin.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** The line's widget settings; a colour that is not `#rgb` / `#rrggbb` falls back to the default. */
export function widgetSettings(line: Line): WidgetSettings {
  const s = settingsOf(line);
  return {
    title: s.LIVECHAT_TITLE || line.name,
    color: /^#(?:[0-9a-f]{3}){1,2}$/i.test(s.LIVECHAT_COLOR) ? s.LIVECHAT_COLOR : '#2f6fde',
    greeting: s.LIVECHAT_GREETING,
    position: s.LIVECHAT_POSITION as WidgetSettings['position'],
    form: { name: s.LIVECHAT_FORM_NAME as FormRule, email: s.LIVECHAT_FORM_EMAIL as FormRule, phone: s.LIVECHAT_FORM_PHONE as FormRule },
    origins: s.LIVECHAT_ORIGINS.map(normalOrigin).filter((o): o is string => !!o),
  };
}

/** Whether a request from `origin` (its Origin header; undefined when it sent none) may use the line's live chat. */
export function originAllowed(settings: WidgetSettings, origin: string | undefined): boolean {
  if (!settings.origins.length) return true;
  const o = origin ? normalOrigin(origin) : undefined;
  return !!o && settings.origins.includes(o);
}

/** The active line a live-chat code names; undefined for a malformed or unknown code or an inactive line. */
export async function lineByLivechatCode(db: Db, code: string): Promise<Line | undefined> {
  if (!/^[0-9a-f]{24}$/.test(code)) return undefined;
  const line = await db.selectFrom('ol_lines').selectAll().where('livechat_code', '=', code).executeTakeFirst();
  return line?.active ? line : undefined;
}

/** Whether one of the line's operators is available now (as CHECK_AVAILABLE reads it), within the line's working hours. */
export async function operatorAvailable(db: Db, line: Line): Promise<boolean> {
  const now = Date.now();
  if (outsideWorktime(settingsOf(line), new Date(now))) return false;
  const users = await findUsers(db, await operatorsOf(db, line.id));
  return [...users.values()].some((u) => availableNow(u, now));
}

/** The built-in connector row of the live chat (app 0: its messages go out through outgoing.ts's own branch). */
export async function livechatConnector(db: Db): Promise<Connector> {
  const found = await findConnector(db, LIVECHAT_CONNECTOR);
  if (found) return found;
  await db.insertInto('ol_connectors').values({
    id: LIVECHAT_CONNECTOR, app_id: 0, name: 'Live chat', icon: '{}', icon_disabled: '{}', placement_handler: '', options: '{}', created_at: Date.now(),
  }).onConflict((oc) => oc.column('id').doNothing()).execute();
  return (await findConnector(db, LIVECHAT_CONNECTOR))!;
}

/** The visitor form as sent (strings; anything else counts as absent). */
export interface VisitorForm { name?: unknown; email?: unknown; phone?: unknown }

// Control characters and angle brackets never belong in a name, an address or a number: dropped, not escaped.
const plain = (v: unknown, max: number) => (typeof v === 'string' ? v.replace(/[\u0000-\u001f\u007f<>]/g, '').trim().slice(0, max) : '');

/** The form's fields by the line's rules: required ones enforced, malformed ones refused (WIDGET_FORM), off ones ignored. */
export function readForm(settings: WidgetSettings, form: VisitorForm): { name: string; email: string; phone: string } {
  const out = { name: '', email: '', phone: '' };
  const checks = {
    name: (v: string) => v.length > 0,
    email: (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
    phone: (v: string) => /^\+?[0-9 ()-]{5,}$/.test(v),
  };
  for (const field of ['name', 'email', 'phone'] as const) {
    const rule = settings.form[field];
    if (rule === 'off') continue;
    const raw = form[field];
    if (typeof raw === 'string' && raw.length > LIVECHAT_CAPS[field] * 2) fail('WIDGET_FORM', `The ${field} is too long`);
    const v = plain(raw, LIVECHAT_CAPS[field]);
    if (!v && rule === 'required') fail('WIDGET_FORM', `The ${field} is required`);
    if (v && !checks[field](v)) fail('WIDGET_FORM', `The ${field} is not valid`);
    out[field] = v;
  }
  return out;
}

/** A new visitor of the line: a customer of the live chat with a line chat of their own. Answers the visitor and their token (its hash is stored). */
export async function createVisitor(db: Db, line: Line, form: { name: string; email: string; phone: string }, origin: string): Promise<{ visitor: Visitor; token: string }> {
  const connector = await livechatConnector(db);
  const extId = crypto.randomBytes(12).toString('hex');
  const name = form.name || 'Guest';
  const { customer, user, chat } = await customerFor(db, connector, line, { id: extId, name, email: form.email }, { id: extId, name, url: normalOrigin(origin) ?? '' });
  const token = secret(32);
  const visitor = await db.insertInto('ol_livechat_visitors').values({
    line_id: line.id, customer_id: customer.id, user_id: user.id, chat_id: chat.id, token_hash: hashSecret(token),
    name, email: form.email, phone: form.phone, origin: normalOrigin(origin) ?? '', created_at: Date.now(),
  }).returningAll().executeTakeFirstOrThrow();
  return { visitor, token };
}

/** The visitor writes `text` (already checked for size): it comes into the line as their connector message. Answers the message id. */
export async function visitorSays(portal: Portal, db: Db, visitor: Visitor, line: Line, text: string): Promise<number> {
  const connector = await livechatConnector(db);
  const customer = await db.selectFrom('ol_customers').selectAll().where('id', '=', visitor.customer_id).executeTakeFirstOrThrow();
  const got = await receiveCustomerMessage(portal, db, connector, line, { id: customer.ext_user_id, name: visitor.name }, { id: customer.ext_chat_id },
    { extId: `w${crypto.randomBytes(8).toString('hex')}`, text });
  return got.message.id;
}

/** The visitor rates the last finished session that asked for it; WIDGET_NO_VOTE when none waits. */
export async function visitorRates(portal: Portal, db: Db, visitor: Visitor, vote: 'like' | 'dislike'): Promise<void> {
  const last = await lastSession(db, visitor.chat_id);
  // The same rule and thanks as a connector customer's "1" / "0" (routing.ts takeVote).
  if (!last || !(await takeVote(portal, db, last, vote === 'like' ? '1' : '0'))) fail('WIDGET_NO_VOTE');
}

/** The visitor is typing: the members of their line chat (the operator, the bot) are told. */
export async function visitorTyping(portal: Portal, db: Db, visitor: Visitor): Promise<void> {
  await announceTyping(portal, db, visitor.chat_id, visitor.user_id);
}

/**
 * The visitor has seen their conversation up to message `lastId` (a message of their chat, else
 * WIDGET_READ): their read position moves forward, and the operator's messenger shows it as it shows
 * any member's reading. Answers the reading state after it.
 */
export async function visitorReads(db: Db, visitor: Visitor, lastId: number): Promise<VisitorReadState> {
  const message = isRowId(lastId) ? await db.selectFrom('messages').select(['id', 'chat_id']).where('id', '=', lastId).executeTakeFirst() : undefined;
  if (!message || Number(message.chat_id) !== Number(visitor.chat_id)) fail('WIDGET_READ');
  await readTo(db, Number(visitor.chat_id), Number(visitor.user_id), lastId);
  return visitorReadState(db, visitor);
}
