/**
 * Likes under concurrency: every member of a chat likes one message at the same instant, on SQLite and
 * on PostgreSQL (where the requests really run in parallel); every like is kept, and unliking at once
 * leaves none.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, testPortal, webhookFor } from './helpers/portal.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { databaseFor } from './helpers/postgres.ts';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`likes at the same instant on ${dialect}`, () => {
    let portal: Awaited<ReturnType<typeof testPortal>>;
    let drop = async () => {};
    let skip: string | undefined;
    const hook: Record<number, string> = {};

    before(async () => {
      const store = await databaseFor(dialect);
      drop = store.drop;
      skip = store.skip;
      if (skip) return;
      portal = await testPortal(store.db ? { db: store.db } : {});
      for (const id of [1, 2, 3, 4, 5]) hook[id] = await webhookFor(portal, id, 'im');
    });
    after(async () => {
      await portal?.close();
      await drop();
    });

    test('all five likes are kept, and five unlikes at once leave none', async (t) => {
      if (skip) return t.skip(skip);
      const chat = expectOk(await restForm(hook[2], 'im.chat.add', { TITLE: 'Likes', USERS: [1, 3, 4, 5] }));
      const ids: number[] = [];
      // Several messages, so a lucky ordering on one cannot hide a lost update.
      for (let i = 0; i < 5; i++) ids.push(expectOk(await restForm(hook[2], 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: `like me ${i}` })));
      const likesOf = async () => {
        const page = expectOk(await restForm(hook[2], 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}`, LIMIT: 50 }));
        return Object.fromEntries(ids.map((id) => {
          const m = page.messages.find((x: any) => x.id === id);
          return [id, [...(m.params.LIKE ?? [])].map(Number).sort()];
        }));
      };
      await Promise.all(ids.flatMap((id) => [1, 2, 3, 4, 5].map((u) => restForm(hook[u], 'im.message.like', { MESSAGE_ID: id, ACTION: 'plus' }).then(expectOk))));
      assert.deepEqual(await likesOf(), Object.fromEntries(ids.map((id) => [id, [1, 2, 3, 4, 5]])));
      await Promise.all(ids.flatMap((id) => [1, 2, 3, 4, 5].map((u) => restForm(hook[u], 'im.message.like', { MESSAGE_ID: id, ACTION: 'minus' }).then(expectOk))));
      assert.deepEqual(await likesOf(), Object.fromEntries(ids.map((id) => [id, []])));
    });
  });
}
