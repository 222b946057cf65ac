/**
 * Migration 0029 on a store as the previous release left it (messages, no search index): after the
 * upgrade the messages already there are found by their words, the portal's own lines and deleted
 * messages are not, and a message written afterwards is indexed as it is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { restForm } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { oldStore } from './helpers/old-store.ts';
import { expectOk } from './helpers/rest-assert.ts';

/** What an older portal stored in a chat of Anna (2) and Ivan (3): author, text, deleted. */
const OLD: [number, string, number][] = [
  [0, 'Анна Петрова created chat "Old"', 0],
  [2, 'Квартальный [b]отчёт[/b] готов', 0],
  [3, 'The reports are running late', 0],
  [2, '', 1],
];

/** Store OLD, as the release before 0029 did, in a new chat of Anna (2) and Ivan (3); answers the chat and message ids. */
async function writeOld(db: Kysely<any>): Promise<{ chat: number; ids: number[] }> {
  const now = Date.now();
  const chat = Number((await db.insertInto('chats').values({ type: 'C', title: 'Old', owner_id: 2, created_at: now }).returning('id').executeTakeFirstOrThrow()).id);
  for (const user_id of [2, 3]) await db.insertInto('chat_members').values({ chat_id: chat, user_id, last_read_id: 0, joined_at: now }).execute();
  const ids: number[] = [];
  for (const [author_id, text, deleted] of OLD) {
    const row = await db.insertInto('messages').values({ chat_id: chat, author_id, text, system: author_id ? 0 : 1, deleted, created_at: now, updated_at: now })
      .returning('id').executeTakeFirstOrThrow();
    ids.push(Number(row.id));
  }
  return { chat, ids };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`migration 0029 on ${dialect}: messages already there are found`, { timeout: 60_000 }, async (t) => {
    const started = await oldStore(t, dialect, 28, writeOld);
    if ('skip' in started) return t.skip(started.skip);
    const { portal, written: { chat, ids } } = started;
    const ivan = await webhookFor(portal, 3, 'im');
    const find = async (text: string) => expectOk(await restForm(ivan, 'parley.message.search', { FIND: text })).messages.map((m: any) => m.id);
    assert.deepEqual(await find('отчёты'), [ids[1]]);
    assert.deepEqual(await find('квартальные отчеты'), [ids[1]]);
    assert.deepEqual(await find('report run'), [ids[2]]);
    // The portal's own line is not indexed; the deleted message has no text to find.
    assert.deepEqual(await find('created'), []);
    const rows = await portal.portal.db.selectFrom('message_terms').select('message_id').orderBy('message_id').execute();
    assert.deepEqual(rows.map((r) => Number(r.message_id)), [ids[1], ids[2]]);
    // New messages are indexed as they are written, beside the backfilled ones.
    const anna = await webhookFor(portal, 2, 'im');
    const fresh = Number(expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'Новый отчёт' })));
    assert.deepEqual(await find('отчет'), [fresh, ids[1]]);
  });
}
