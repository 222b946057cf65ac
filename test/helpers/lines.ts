/**
 * Open-line fixtures: a connector row as imconnector.register leaves it (the connector methods are
 * built apart), customers writing in through receiveCustomerMessage as a connector's message arrives.
 */
import { runAction } from '../../src/domain/action.ts';
import { findLine } from '../../src/domain/lines/lines.ts';
import { receiveCustomerMessage } from '../../src/domain/lines/customers.ts';
import type { Connector } from '../../src/domain/lines/connectors.ts';
import type { HasPortal } from './suite.ts';

let seq = 0;

/** A connector registered by app `appId` (0: none, so nothing is sent out). */
export async function connector(p: HasPortal, id: string, appId = 0): Promise<Connector> {
  await p.portal.db.insertInto('ol_connectors').values({ id, app_id: appId, name: id, icon: '{}', icon_disabled: '{}', placement_handler: '', options: '{}', created_at: Date.now() }).execute();
  return p.portal.db.selectFrom('ol_connectors').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Customer `who` writes `text` to line `lineId` through connector `c`. */
export async function customerSays(p: HasPortal, c: Connector, lineId: number, who: string, text: string) {
  const line = (await findLine(p.portal.db, lineId))!;
  return runAction(p.portal, (trx) => receiveCustomerMessage(p.portal, trx, c, line, { id: who, name: 'Carl', lastName: who }, { id: `9${who.replace(/\D/g, '') || '0'}` }, { extId: `m${++seq}`, text }));
}

/** The members of a chat, by id. */
export async function membersOf(p: HasPortal, chatId: number): Promise<number[]> {
  return (await p.portal.db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).orderBy('user_id').execute()).map((r) => Number(r.user_id));
}

/** Texts of a chat's messages, oldest first. */
export async function textsOf(p: HasPortal, chatId: number): Promise<string[]> {
  return (await p.portal.db.selectFrom('messages').select('text').where('chat_id', '=', chatId).orderBy('id').execute()).map((m) => m.text);
}
