/**
 * Likes under concurrency: every member of a chat likes one message at the same instant, on SQLite and
 * on PostgreSQL (where the requests really run in parallel); every like is kept, and unliking at once
 * leaves none.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm } from './helpers/portal.ts';
import { webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`likes at the same instant on ${dialect}`, () => {
    let portal: TestPortal;
    let skip: string | undefined;
    const hook: Record<number, string> = {};

    before(async () => {
      const suite = await portalSuite(dialect);
      if ('skip' in suite) return void (skip = suite.skip);
      portal = suite;
      for (const id of [1, 2, 3, 4, 5]) hook[id] = await webhookFor(portal, id, 'im');
    });
    after(async () => {
      await portal?.close();
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
