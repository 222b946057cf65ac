/**
 * Migration 0017 on a store as the previous release left it (a message's state in one PARAMS JSON
 * blob): after the upgrade every message shows the same PARAMS through im.dialog.messages.get, the
 * migrated likes behave as likes (a second like by the same user changes nothing, an unlike removes
 * one), and the blob column is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { restForm } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { oldStore } from './helpers/old-store.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

const keyboard = [{ BOT_ID: 9, TYPE: 'BUTTON', COMMAND: 'go', COMMAND_PARAMS: '', TEXT: 'Go', BLOCK: 'Y', CONTEXT: 'ALL', DISABLED: 'N', DISPLAY: 'BLOCK' }];
const menu = [{ BOT_ID: 9, COMMAND: 'm', COMMAND_PARAMS: '', TEXT: 'M', CONTEXT: 'ALL', DISABLED: 'N' }];
const card = { ID: '77', BLOCKS: [{ MESSAGE: 'card' }] };
const rich = (id: number) => ({ ID: String(id), BLOCKS: [{ RICH_LINK: [{ NAME: 'Example', LINK: 'https://example.com/' }] }], COLOR: 'transparent' });

/** The messages an older portal stored: text and the PARAMS blob (`id` stands for the message's own id). */
const OLD: { text: string; deleted?: number; params: (id: number) => Record<string, unknown> }[] = [
  { text: 'plain', params: () => ({}) },
  { text: 'rich', params: () => ({ ATTACH: [card], KEYBOARD: keyboard, MENU: menu, URL_PREVIEW: 'N', REPLY_ID: 1 }) },
  { text: 'https://example.com/', params: (id) => ({ URL_ID: [id], URL_ONLY: 'Y', ATTACH: [rich(id)], LIKE: [3, 2], IS_EDITED: 'Y' }) },
  { text: 'see https://example.com/', params: (id) => ({ ATTACH: [card, rich(id)], URL_ID: [id], KEYBOARD: keyboard, KEYBOARD_BLOCKED: 'Y' }) },
  { text: 'files', params: () => ({ FILE_ID: [7, 5] }) },
  { text: '', deleted: 1, params: () => ({ URL_PREVIEW: 'N', LIKE: [2], IS_DELETED: 'Y' }) },
];

/** Store OLD, as the release before 0017 did, in a new chat of Anna (2) and Ivan (3); answers the chat and message ids. */
async function writeOld(db: Kysely<any>): Promise<{ chat: number; ids: number[] }> {
  const now = Date.now();
  const chat = await db.insertInto('chats').values({ type: 'C', title: 'Old', owner_id: 2, created_at: now }).returning('id').executeTakeFirstOrThrow();
  for (const user_id of [2, 3]) await db.insertInto('chat_members').values({ chat_id: chat.id, user_id, last_read_id: 0, joined_at: now }).execute();
  const ids: number[] = [];
  for (const m of OLD) {
    const row = await db.insertInto('messages').values({ chat_id: chat.id, author_id: 2, text: m.text, params: '{}', system: 0, deleted: m.deleted ?? 0, created_at: now, updated_at: now })
      .returning('id').executeTakeFirstOrThrow();
    await db.updateTable('messages').set({ params: JSON.stringify(m.params(row.id)) }).where('id', '=', row.id).execute();
    ids.push(row.id);
  }
  await db.updateTable('chats').set({ last_message_id: ids.at(-1) }).where('id', '=', chat.id).execute();
  return { chat: chat.id, ids };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`migration 0017 on ${dialect}: every message shows the PARAMS it had; migrated likes are likes`, { timeout: 60_000 }, async (t) => {
    const started = await oldStore(t, dialect, 16, writeOld);
    if ('skip' in started) return t.skip(started.skip);
    const { portal, written: { chat, ids } } = started;
    const [anna, ivan] = [await webhookFor(portal, 2, 'im'), await webhookFor(portal, 3, 'im')];
    const shown = async () => {
      const page = expectOk(await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}`, LIMIT: 50 }));
      return new Map(page.messages.map((m: any) => [m.id, m.params]));
    };
    const before = await shown();
    for (const [i, m] of OLD.entries()) {
      const params = m.params(ids[i]);
      assert.deepEqual(before.get(ids[i]), Object.keys(params).length ? params : [], `message "${m.text}"`);
    }
    // The documented example's order for a link preview: URL_ID, URL_ONLY, ATTACH.
    assert.deepEqual(Object.keys(before.get(ids[2]) as object), ['URL_ID', 'URL_ONLY', 'ATTACH', 'IS_EDITED', 'LIKE']);

    expectError(await restForm(ivan, 'im.message.like', { MESSAGE_ID: ids[2], ACTION: 'plus' }), 400, 'WITHOUT_CHANGES');
    assert.equal(expectOk(await restForm(anna, 'im.message.like', { MESSAGE_ID: ids[2], ACTION: 'minus' })), true);
    assert.equal(expectOk(await restForm(anna, 'im.message.like', { MESSAGE_ID: ids[0] })), true);
    const after = await shown();
    assert.deepEqual((after.get(ids[2]) as any).LIKE, [3]);
    assert.deepEqual((after.get(ids[0]) as any).LIKE, [2]);

    const [row] = await portal.portal.db.selectFrom('messages').selectAll().limit(1).execute();
    assert.ok(!('params' in row), 'the blob column is gone');
  });
}
