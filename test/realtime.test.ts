/**
 * The realtime channel (/realtime): a user's open socket hears of new, edited, liked and deleted
 * messages in their dialogs — and only theirs — after the change commits; credentials are checked as
 * for REST; a client that reconnects with the last push id it saw gets what it missed, in order.
 * Runs on SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, waitFor } from './helpers/portal.ts';
import { webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { hello, listen, socketUrl, type Listener } from './helpers/realtime.ts';
import { expectOk } from './helpers/rest-assert.ts';

/** A socket that records every push it receives. */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`realtime pushes (${dialect})`, () => {
    let portal: TestPortal;
    let anna: string;
    let ivan: string;
    let maria: string;
    let skip: string | undefined;

    before(async () => {
      const suite = await portalSuite(dialect);
      if ('skip' in suite) return void (skip = suite.skip);
      portal = suite;
      [anna, ivan, maria] = await Promise.all([2, 3, 4].map((id) => webhookFor(portal, id)));
    });
    after(async () => {
      await portal?.close();
    });

    /**
     * Send user `userId` (listening on `l`) a push of their own, a notification from Anna, and wait
     * for it: answers its index in `l.pushes`. Pushes are logged in commit order and the hub sends a
     * socket its rows in that order, so whatever was meant for it earlier has arrived by then.
     */
    async function sentinelFor(l: Listener, userId: number): Promise<number> {
      const id = expectOk(await restForm(anna, 'im.notify.personal.add', { USER_ID: userId, MESSAGE: 'sentinel' }));
      await waitFor('the sentinel push', async () => l.pushes.some((p) => p.type === 'notify' && p.notifyId === id));
      return l.pushes.findIndex((p) => p.type === 'notify' && p.notifyId === id);
    }

    test('a new message, its edit, like and deletion reach the members, and nobody else', async (t) => {
      if (skip) return t.skip(skip);
      const a = await listen(socketUrl(anna));
      const m = await listen(socketUrl(maria));
      await Promise.all([hello(a), hello(m)]);
      const id = expectOk(await restForm(ivan, 'im.message.add', { DIALOG_ID: 2, MESSAGE: 'hello Anna' }));
      const added = await waitFor('message.add push', async () => a.pushes.find((p) => p.type === 'message.add' && p.messageId === id));
      assert.equal(typeof added.id, 'number');
      assert.equal(added.authorId, 3, 'a new message names its author (it ends their typing line)');
      assert.ok(added.chatId > 0);
      // What the push names is readable through REST right away: the push came after the commit.
      const history = expectOk(await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: 3 }));
      assert.ok(history.messages.some((x: any) => x.id === id));

      expectOk(await restForm(ivan, 'im.message.update', { MESSAGE_ID: id, MESSAGE: 'hello, Anna' }));
      await waitFor('message.update', async () => a.pushes.find((p) => p.type === 'message.update' && p.messageId === id));
      expectOk(await restForm(anna, 'im.message.like', { MESSAGE_ID: id }));
      await waitFor('message.like', async () => a.pushes.find((p) => p.type === 'message.like' && p.messageId === id));
      expectOk(await restForm(ivan, 'im.message.delete', { MESSAGE_ID: id }));
      await waitFor('message.delete', async () => a.pushes.find((p) => p.type === 'message.delete' && p.messageId === id));

      const ids = a.pushes.filter((p) => p.id && p.type !== 'hello').map((p) => p.id);
      assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'pushes arrive in log order');
      // Maria is not in that dialog: her socket heard nothing but its greeting. A push that is hers,
      // sent after those, comes after anything of theirs she might have been sent (the hub sends
      // the log in order, on one socket); it involves no chat with Ivan, which a later test needs.
      const sentinel = await sentinelFor(m, 4);
      assert.deepEqual(m.pushes.slice(0, sentinel).map((p) => p.type), ['hello']);
      await Promise.all([a.close(), m.close()]);
    });

    test('a client that reconnects with its last push id gets what it missed, in order', async (t) => {
      if (skip) return t.skip(skip);
      const first = await listen(socketUrl(anna));
      const { id: seen } = await hello(first);
      await first.close();
      const missed: number[] = [];
      for (const text of ['one', 'two', 'three']) missed.push(expectOk(await restForm(ivan, 'im.message.add', { DIALOG_ID: 2, MESSAGE: text })));
      const again = await listen(socketUrl(anna, seen));
      await hello(again);
      const replayed = again.pushes.filter((p) => p.type === 'message.add').map((p) => p.messageId);
      assert.deepEqual(replayed, missed);
      // The greeting comes after the replay and names the newest id, where the next reconnect resumes.
      const types = again.pushes.map((p) => p.type);
      assert.equal(types.indexOf('hello'), types.length - 1);
      assert.ok(again.pushes.at(-1).id >= Math.max(...again.pushes.slice(0, -1).map((p) => p.id)));
      await again.close();
    });

    test('typing is signalled to the other members, and a read reaches the writer for "read by"', async (t) => {
      if (skip) return t.skip(skip);
      const a = await listen(socketUrl(anna));
      const i = await listen(socketUrl(ivan));
      await Promise.all([hello(a), hello(i)]);
      expectOk(await restForm(ivan, 'im.dialog.writing', { DIALOG_ID: 2 }));
      const typing = await waitFor('typing', async () => a.pushes.find((p) => p.type === 'typing'));
      assert.equal(typing.userId, 3);
      assert.equal(typing.id, undefined, 'typing is ephemeral: no log id');
      const id = expectOk(await restForm(ivan, 'im.message.add', { DIALOG_ID: 2, MESSAGE: 'read me' }));
      expectOk(await restForm(anna, 'im.dialog.read', { DIALOG_ID: 3 }));
      const read = await waitFor('dialog.read', async () => i.pushes.find((p) => p.type === 'dialog.read' && p.userId === 2));
      assert.equal(read.lastId, id);
      await Promise.all([a.close(), i.close()]);
    });

    test('a new notification is pushed to its user, and reading it tells their other clients', async (t) => {
      if (skip) return t.skip(skip);
      const a = await listen(socketUrl(anna));
      await hello(a);
      const id = expectOk(await restForm(ivan, 'im.notify.personal.add', { USER_ID: 2, MESSAGE: 'look' }));
      assert.equal((await waitFor('notify', async () => a.pushes.find((p) => p.type === 'notify'))).notifyId, id);
      expectOk(await restForm(anna, 'im.notify.read', { ID: id, ONLY_CURRENT: 'Y' }));
      await waitFor('counters', async () => a.pushes.find((p) => p.type === 'counters' && p.notify === true));
      await a.close();
    });

    test('a status change reaches those who share a chat with the user, not others', async (t) => {
      if (skip) return t.skip(skip);
      const a = await listen(socketUrl(anna));
      const m = await listen(socketUrl(maria));
      await Promise.all([hello(a), hello(m)]);
      // Ivan and Anna have a dialog (the tests above); Ivan and Maria do not.
      expectOk(await restForm(ivan, 'im.user.status.set', { STATUS: 'dnd' }));
      assert.equal((await waitFor('presence', async () => a.pushes.find((p) => p.type === 'presence'))).userId, 3);
      // Maria's own later push: a presence meant for her would have come before it.
      const sentinel = await sentinelFor(m, 4);
      assert.ok(!m.pushes.slice(0, sentinel).some((p) => p.type === 'presence'));
      await Promise.all([a.close(), m.close()]);
    });

    test('credentials are checked as for REST: none, a wrong webhook, a webhook without the im scope', async (t) => {
      if (skip) return t.skip(skip);
      const base = socketUrl(anna).replace(/\?.*$/, '');
      await assert.rejects(listen(base), (e: any) => e.status === 401 && e.body.error === 'NO_AUTH_FOUND');
      await assert.rejects(listen(`${base}?webhook=2:nope`), (e: any) => e.status === 401 && e.body.error === 'INVALID_CREDENTIALS');
      await assert.rejects(listen(`${base}?auth=not-a-token`), (e: any) => e.status === 401 && e.body.error === 'invalid_token');
      const taskOnly = await webhookFor(portal, 2, 'task');
      await assert.rejects(listen(socketUrl(taskOnly)), (e: any) => e.status === 401 && e.body.error === 'insufficient_scope');
    });
  });
}
