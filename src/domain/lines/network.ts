/**
 * Network lines on one portal (an internal helpdesk): a line is reachable by its network code.
 * imopenlines.network.join gives the calling person a private dialog with the line's bot; what they
 * write there comes into the line as a customer's message (connector `network`, a customer user of
 * their own standing for them) and the operators' answers come back as the bot's messages.
 * imopenlines.network.message.add lets the line write to a person unasked, once a week.
 */
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Chat, Message, User } from '../types.ts';
import { fail, RestError } from '../../errors.ts';
import { postMessage, type NewMessage } from '../messages.ts';
import { routingOf, settingsOf, type Line } from './config.ts';
import { findConnector, type Connector } from './connectors.ts';
import { receiveCustomerMessage } from './customers.ts';
import { lineOfNetworkBot, networkDialog, NETWORK_CONNECTOR } from './network-bot.ts';

declare module '../../store/schema.ts' {
  interface Database { ol_network_sent: { line_id: number; user_id: number; sent_at: number } }
}

/** A line may write to one person unasked this often. */
export const NETWORK_MESSAGE_EVERY_MS = 7 * 86_400_000;

/** The line a network code names, refused as the docs say: a malformed code, no such line, an inactive line. */
export async function lineByCode(db: Db, code: string): Promise<Line> {
  if (!/^[0-9a-f]{32}$/i.test(code)) fail('CODE');
  const line = await db.selectFrom('ol_lines').selectAll().where('network_code', '=', code.toLowerCase()).executeTakeFirst();
  // The catalogue's NOT_FOUND (404) is the portal's HTTP doors' (files, avatars); this method's is a 400 like its other errors.
  if (!line) throw new RestError('NOT_FOUND', 'Line not found', 400);
  if (!line.active) fail('INACTIVE');
  return line;
}

/** The built-in connector of network lines (no app: its messages go out through the line's bot). */
async function networkConnector(db: Db): Promise<Connector> {
  const found = await findConnector(db, NETWORK_CONNECTOR);
  if (found) return found;
  await db.insertInto('ol_connectors').values({
    id: NETWORK_CONNECTOR, app_id: 0, name: 'Network', icon: '{}', icon_disabled: '{}', placement_handler: '', options: '{}', created_at: Date.now(),
  }).onConflict((oc) => oc.column('id').doNothing()).execute();
  return (await findConnector(db, NETWORK_CONNECTOR))!;
}

/** Join `person` to the line: their dialog with its bot, greeted with the line's welcome the first time. Answers the bot's id. */
export async function joinNetworkLine(portal: Portal, db: Db, line: Line, person: User): Promise<number> {
  const { bot, chat } = await networkDialog(db, line, person);
  const welcome = routingOf(settingsOf(line)).welcome;
  if (welcome && !chat.last_message_id) await postMessage(portal, db, chat, bot, { text: welcome });
  return bot.id;
}

/** A person wrote in their dialog with a network line's bot: it comes into the line as their message. */
export async function networkPosted(portal: Portal, db: Db, chat: Chat, author: User, message: Message): Promise<void> {
  if (chat.type !== 'P' || author.is_bot || author.external_auth_id || message.system) return;
  const other = chat.private_key?.split(':').map(Number).find((id) => id !== author.id);
  const line = other ? await lineOfNetworkBot(db, other) : undefined;
  if (!line?.active) return;
  await receiveCustomerMessage(portal, db, await networkConnector(db), line,
    { id: String(author.id), name: author.name, lastName: author.last_name, email: author.email }, { id: String(author.id) },
    { extId: String(message.id), text: message.text });
}

/** The line writes to `person` unasked (imopenlines.network.message.add): USER_MESSAGE_LIMIT within a week of the last time. */
export async function networkMessage(portal: Portal, db: Db, line: Line, person: User, content: NewMessage): Promise<void> {
  const now = Date.now();
  const last = await db.selectFrom('ol_network_sent').select('sent_at').where('line_id', '=', line.id).where('user_id', '=', person.id).executeTakeFirst();
  if (last && now - last.sent_at < NETWORK_MESSAGE_EVERY_MS) fail('USER_MESSAGE_LIMIT');
  await db.insertInto('ol_network_sent').values({ line_id: line.id, user_id: person.id, sent_at: now })
    .onConflict((oc) => oc.columns(['line_id', 'user_id']).doUpdateSet({ sent_at: now })).execute();
  const { bot, chat } = await networkDialog(db, line, person);
  await postMessage(portal, db, chat, bot, content);
}
