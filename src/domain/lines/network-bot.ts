/**
 * A network line's bot: the user that stands for the line in the dialogs of the people who joined
 * it (imopenlines.network.join), made on the first join. What the line's operators write reaches
 * such a person as this bot's messages in their private dialog with it.
 */
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Chat, User } from '../types.ts';
import { findUser } from '../users.ts';
import { privateChat } from '../chats.ts';
import { postMessage } from '../messages.ts';
import type { Line } from './config.ts';
import type { Customer } from './connectors.ts';

/** The connector code of network lines (as Bitrix24 names its Network channel). */
export const NETWORK_CONNECTOR = 'network';

/** The line's bot, made (a bot user and a bot row of type N, no app) when there is none yet. */
export async function networkBot(db: Db, line: Line): Promise<User> {
  const existing = line.network_bot_id ? await findUser(db, line.network_bot_id) : undefined;
  if (existing) return existing;
  const now = Date.now();
  const bot = await db.insertInto('users').values({
    login: null, password_hash: null, name: line.name, last_name: '', email: '', work_position: 'Open line', gender: '', color: 'MINT',
    avatar: '', personal_www: '', birthday: '', departments: '[]', is_admin: 0, is_bot: 1, active: 1, created_at: now,
  }).returningAll().executeTakeFirstOrThrow();
  await db.insertInto('bots').values({
    id: bot.id, app_id: 0, code: `network_line_${line.id}`, type: 'N', openline: 0, client_id: '',
    h_message_add: '', h_message_update: '', h_message_delete: '', h_welcome: '', h_bot_delete: '', created_at: now,
  }).execute();
  await db.updateTable('ol_lines').set({ network_bot_id: bot.id }).where('id', '=', line.id).execute();
  return bot;
}

/** The line whose network bot `botId` is, if it is one. */
export async function lineOfNetworkBot(db: Db, botId: number): Promise<Line | undefined> {
  return db.selectFrom('ol_lines').selectAll().where('network_bot_id', '=', botId).where('network_bot_id', '>', 0).executeTakeFirst();
}

/** A person's private dialog with the line's bot. */
export async function networkDialog(db: Db, line: Line, person: User): Promise<{ bot: User; chat: Chat }> {
  const bot = await networkBot(db, line);
  return { bot, chat: await privateChat(db, person, bot.id, false) };
}

/** A line message out to a network customer: the line's bot says it in their dialog. */
export async function deliverToNetworkUser(portal: Portal, db: Db, customer: Customer, text: string): Promise<void> {
  const [line, person] = await Promise.all([
    db.selectFrom('ol_lines').selectAll().where('id', '=', customer.line_id).executeTakeFirst(),
    findUser(db, Number(customer.ext_user_id)),
  ]);
  if (!line || !person) return;
  const { bot, chat } = await networkDialog(db, line, person);
  await postMessage(portal, db, chat, bot, { text });
}
