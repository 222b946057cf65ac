/**
 * im.recent.* and im.counters.get over real HTTP, on SQLite and on PostgreSQL: what the recent list
 * shows and in which order, pinning, hiding until the next message, the "unread" mark, paging of
 * im.recent.list, exact counters, and counters that stay exact while many clients write and read at
 * once (compared at the end with the truth counted from the messages themselves).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, restJson } from './helpers/portal.ts';
import { webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`recent list and counters on ${dialect}`, () => {
    let portal: TestPortal;
    let skip: string | undefined;
    const hook: Record<number, string> = {};
    const call = (as: number, method: string, params: Record<string, unknown> = {}) => restForm(hook[as], method, params);
    const ok = async (as: number, method: string, params: Record<string, unknown> = {}) => expectOk(await call(as, method, params));
    const send = async (as: number, dialog: string | number, text: string): Promise<number> => ok(as, 'im.message.add', { DIALOG_ID: dialog, MESSAGE: text });
    const recentIds = async (as: number, params: Record<string, unknown> = {}) => (await ok(as, 'im.recent.get', params)).map((i: any) => i.id);
    /** Maria's chat with Anna and Ivan; John's chat without Anna. */
    let chat: number;
    let foreign: number;

    before(async () => {
      const suite = await portalSuite(dialect);
      if ('skip' in suite) return void (skip = suite.skip);
      portal = suite;
      for (const id of [1, 2, 3, 4, 5]) hook[id] = await webhookFor(portal, id, 'im,imbot');
      await send(2, 3, 'hello Ivan');
      chat = await ok(4, 'im.chat.add', { TITLE: 'Recent chat', USERS: [2, 3] });
      await send(4, `chat${chat}`, '[b]Bold[/b] news\nfor [USER=2]Anna[/USER]');
      foreign = await ok(5, 'im.chat.add', { TITLE: 'John only', USERS: [1] });
    });
    after(async () => {
      await portal?.close();
    });

    test('im.recent.get: dialogs with a message, newest first, in the documented shape', async (t) => {
      if (skip) return t.skip(skip);
      // Opening a dialog does not list it: only a message does.
      await ok(2, 'im.dialog.get', { DIALOG_ID: 5 });
      const items = await ok(2, 'im.recent.get');
      assert.deepEqual(items.map((i: any) => i.id), [`chat${chat}`, 3]);
      const [c, d] = items;
      assert.equal(c.type, 'chat');
      assert.equal(c.chat_id, chat);
      assert.equal(c.title, 'Recent chat');
      assert.equal(c.message.text, 'Bold news for Anna');
      assert.equal(c.message.author_id, 4);
      assert.equal(c.message.status, 'received');
      assert.equal(c.counter, 2, 'the "created chat" line and Maria\'s message');
      assert.equal(c.chat.id, chat);
      assert.equal(c.chat.role, 'MEMBER');
      assert.equal(c.user.id, 4, 'a chat item carries the last author');
      assert.equal(d.type, 'user');
      assert.equal(d.user.id, 3);
      assert.equal(d.counter, 0);
      assert.equal(d.message.text, 'hello Ivan');
      for (const key of ['avatar', 'message', 'counter', 'last_id', 'pinned', 'unread', 'has_reminder', 'date_update', 'date_last_activity', 'options']) assert.ok(key in d, key);
      assert.deepEqual(Object.keys(d.avatar).sort(), ['color', 'url']);
      // Ivan sees the same dialog from his side, unread.
      const ivan = (await ok(3, 'im.recent.get')).find((i: any) => i.id === 2);
      assert.equal(ivan.counter, 1);
    });

    test('im.recent.get: SKIP_CHAT, SKIP_DIALOG, ONLY_OPENLINES, LAST_UPDATE, LAST_SYNC_DATE', async (t) => {
      if (skip) return t.skip(skip);
      assert.deepEqual(await recentIds(2, { SKIP_CHAT: 'Y' }), [3]);
      assert.deepEqual(await recentIds(2, { SKIP_DIALOG: 'Y' }), [`chat${chat}`]);
      assert.deepEqual(await recentIds(2, { ONLY_OPENLINES: 'Y' }), []);
      assert.deepEqual(await recentIds(2, { SKIP_OPENLINES: 'Y' }), [`chat${chat}`, 3]);
      const future = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, '+00:00');
      assert.deepEqual(await recentIds(2, { LAST_UPDATE: future }), []);
      assert.deepEqual(await recentIds(2, { LAST_UPDATE: '2019-07-11T10:45:31+02:00' }), [`chat${chat}`, 3]);
      // LAST_SYNC_DATE reaches back 7 days at most; everything here is newer.
      assert.deepEqual(await recentIds(2, { LAST_SYNC_DATE: '2019-07-11T10:45:31+02:00' }), [`chat${chat}`, 3]);
      assert.deepEqual(await recentIds(2, { LAST_SYNC_DATE: future }), []);
    });

    test('im.recent.pin: pinned first; a pinned dialog shows even without messages; PIN=N', async (t) => {
      if (skip) return t.skip(skip);
      assert.equal(await ok(2, 'im.recent.pin', { DIALOG_ID: 3 }), true);
      let items = await ok(2, 'im.recent.get');
      assert.deepEqual(items.map((i: any) => [i.id, i.pinned]), [[3, true], [`chat${chat}`, false]]);
      assert.equal(await ok(2, 'im.recent.pin', { DIALOG_ID: 5, PIN: 'Y' }), true);
      assert.ok((await recentIds(2)).includes(5));
      assert.equal(await ok(2, 'im.recent.pin', { DIALOG_ID: 5, PIN: 'N' }), true);
      assert.equal(await ok(2, 'im.recent.pin', { DIALOG_ID: 3, PIN: 'N' }), true);
      items = await ok(2, 'im.recent.get');
      assert.deepEqual(items.map((i: any) => [i.id, i.pinned]), [[`chat${chat}`, false], [3, false]]);
    });

    test('im.recent.hide: gone until a newer message arrives; hiding unpins', async (t) => {
      if (skip) return t.skip(skip);
      await ok(2, 'im.recent.pin', { DIALOG_ID: `chat${chat}` });
      assert.equal(await ok(2, 'im.recent.hide', { DIALOG_ID: `chat${chat}` }), true);
      assert.deepEqual(await recentIds(2), [3]);
      // Anna's own reading does not bring it back; a new message does.
      await ok(2, 'im.dialog.read', { DIALOG_ID: `chat${chat}` });
      assert.deepEqual(await recentIds(2), [3]);
      await send(3, `chat${chat}`, 'back again');
      const items = await ok(2, 'im.recent.get');
      assert.deepEqual(items.map((i: any) => [i.id, i.pinned]), [[`chat${chat}`, false], [3, false]]);
      assert.equal(items[0].counter, 1);
    });

    test('im.recent.unread and the counters: the mark counts as one and reading clears it', async (t) => {
      if (skip) return t.skip(skip);
      await ok(2, 'im.dialog.read.all');
      assert.equal(await ok(2, 'im.recent.unread', { DIALOG_ID: 3 }), true);
      let counters = await ok(2, 'im.counters.get');
      assert.deepEqual(counters.DIALOG_UNREAD, [3]);
      assert.equal(counters.TYPE.DIALOG, 1);
      assert.equal((await ok(2, 'im.recent.get')).find((i: any) => i.id === 3).unread, true);
      await ok(2, 'im.dialog.read', { DIALOG_ID: 3 });
      counters = await ok(2, 'im.counters.get');
      assert.deepEqual([counters.DIALOG_UNREAD, counters.TYPE.ALL], [[], 0]);
      assert.equal(await ok(2, 'im.recent.unread', { DIALOG_ID: `chat${chat}`, ACTION: 'Y' }), true);
      assert.deepEqual((await ok(2, 'im.counters.get')).CHAT_UNREAD, [chat]);
      // ACTION=N removes the mark and reads the dialog.
      await send(4, `chat${chat}`, 'one more');
      assert.equal(await ok(2, 'im.recent.unread', { DIALOG_ID: `chat${chat}`, ACTION: 'N' }), true);
      counters = await ok(2, 'im.counters.get');
      assert.deepEqual([counters.CHAT_UNREAD, counters.CHAT, counters.TYPE.ALL], [[], [], 0]);
      assert.equal(await ok(2, 'im.recent.unread', { DIALOG_ID: 'chat999999' }), false, 'documented: false for a chat that does not exist');
    });

    test('im.recent.list: items and hasMore, OFFSET/LIMIT and LAST_MESSAGE_DATE paging, UNREAD_ONLY', async (t) => {
      if (skip) return t.skip(skip);
      const first = await call(2, 'im.recent.list', { LIMIT: 1 });
      const page = expectOk(first);
      assert.equal(first.body.total, -1);
      assert.deepEqual(page.items.map((i: any) => i.id), [`chat${chat}`]);
      assert.equal(page.hasMore, true);
      const rest = expectOk(await restJson(hook[2], 'im.recent.list', { OFFSET: 1, LIMIT: 1 }));
      assert.deepEqual([rest.items.map((i: any) => i.id), rest.hasMore], [[3], false]);
      const older = await ok(2, 'im.recent.list', { LAST_MESSAGE_DATE: page.items[0].message.date });
      assert.ok(!older.items.some((i: any) => i.id === `chat${chat}`));
      await send(3, 2, 'unread for Anna');
      assert.deepEqual((await ok(2, 'im.recent.list', { UNREAD_ONLY: 'Y' })).items.map((i: any) => i.id), [3]);
      assert.deepEqual((await ok(2, 'im.recent.list', { SKIP_DIALOG: 'Y' })).items.map((i: any) => i.id), [`chat${chat}`]);
    });

    test('im.counters.get: exact per chat and dialog; muted chats apart; deleted and own messages do not count', async (t) => {
      if (skip) return t.skip(skip);
      await ok(1, 'im.dialog.read.all');
      const muted = await ok(2, 'im.chat.add', { TITLE: 'Muted for admin', USERS: [1] });
      await send(2, `chat${muted}`, 'psst');
      await portal.portal.db.updateTable('chat_members').set({ muted: 1 }).where('chat_id', '=', muted).where('user_id', '=', 1).execute();
      await send(3, 1, 'a');
      await send(3, 1, 'b');
      const gone = await send(3, 1, 'c');
      expectOk(await call(3, 'im.message.delete', { MESSAGE_ID: gone }));
      await send(1, 3, 'mine');
      await send(4, 1, 'from Maria');
      await send(5, `chat${foreign}`, 'for admin');
      const counters = await ok(1, 'im.counters.get');
      // Admin's own message read everything before it in the dialog with Ivan.
      assert.deepEqual(counters, {
        TYPE: { ALL: 2, NOTIFY: 0, CHAT: 1, LINES: 0, DIALOG: 1, MESSENGER: 2 },
        CHAT: { [foreign]: 1 },
        CHAT_MUTED: { [muted]: 2 },
        CHAT_UNREAD: [],
        LINES: [],
        DIALOG: { 4: 1 },
        DIALOG_UNREAD: [],
      });
    });

    test('errors: DIALOG_ID_EMPTY (400) and ACCESS_ERROR (403) for pin, hide and unread', async (t) => {
      if (skip) return t.skip(skip);
      for (const method of ['im.recent.pin', 'im.recent.hide', 'im.recent.unread']) {
        expectError(await call(2, method), 400, 'DIALOG_ID_EMPTY');
        expectError(await call(2, method, { DIALOG_ID: 'chatty' }), 400, 'DIALOG_ID_EMPTY');
        expectError(await call(2, method, { DIALOG_ID: `chat${foreign}` }), 403, 'ACCESS_ERROR');
      }
    });

    test('many clients writing and reading at once: counters equal the truth', async (t) => {
      if (skip) return t.skip(skip);
      const readers = [1, 5];
      const writers = [2, 3, 4];
      for (const r of readers) await ok(r, 'im.dialog.read.all');
      const group = await ok(2, 'im.chat.add', { TITLE: 'Storm', USERS: [1, 3, 4, 5] });
      // The private dialogs exist before the storm: creating one chat from two requests at once is
      // the chat store's business (src/domain/chats.ts), not what this test is about.
      for (const r of readers) for (const w of writers) await ok(r, 'im.dialog.get', { DIALOG_ID: w });
      // Every reader has the same four dialogs: the storm chat and one private dialog per writer.
      const dialogs = [`chat${group}`, ...writers.map(String)];
      // What each reader read up to, per dialog: reads only move forward, so the highest id wins.
      const readUpTo: Record<number, Record<string, number>> = { 1: {}, 5: {} };
      // Before the storm each reader has read its private dialogs to their newest message (read.all):
      // a dialog no reader lane happens to pick during the storm keeps that position.
      for (const r of readers) {
        for (const w of writers) readUpTo[r][String(w)] = (await ok(r, 'im.dialog.messages.get', { DIALOG_ID: w, LIMIT: 1 })).messages[0]?.id ?? 0;
      }
      const seen: number[] = [];
      const inFlight: Promise<unknown>[] = [];
      let running = true;
      // Writers: three users, each with several messages in flight at once, into the chat and to both readers.
      for (const w of writers) {
        for (let lane = 0; lane < 3; lane++) {
          inFlight.push((async () => {
            for (let i = 0; i < 8; i++) {
              const target = [`chat${group}`, 1, 5][(i + lane) % 3];
              seen.push(await send(w, target, `w${w} l${lane} #${i}`));
            }
          })());
        }
      }
      // Readers: read up to messages they saw, in parallel and out of order, and ask for counters meanwhile.
      for (const r of readers) {
        for (let lane = 0; lane < 3; lane++) {
          inFlight.push((async () => {
            while (running) {
              const dialog = dialogs[Math.floor(Math.random() * 4)];
              const messages = (await ok(r, 'im.dialog.messages.get', { DIALOG_ID: dialog, LIMIT: 10 })).messages as any[];
              if (messages.length) {
                const pickId = messages[Math.floor(Math.random() * messages.length)].id;
                const res = await ok(r, 'im.dialog.read', { DIALOG_ID: dialog, MESSAGE_ID: pickId });
                readUpTo[r][dialog] = Math.max(readUpTo[r][dialog] ?? 0, pickId);
                assert.ok(res.lastId >= pickId);
              }
              const c = await ok(r, 'im.counters.get');
              assert.equal(c.TYPE.ALL, c.TYPE.CHAT + c.TYPE.DIALOG + c.TYPE.LINES + c.TYPE.NOTIFY);
            }
          })());
        }
      }
      // Stop the readers once the writers are done, or at the first failure anywhere.
      const writing = Promise.all(inFlight.slice(0, writers.length * 3));
      const outcome = await Promise.allSettled([writing.finally(() => (running = false)), ...inFlight.slice(writers.length * 3).map((p) => p.catch((e) => {
        running = false;
        throw e;
      }))]);
      await Promise.allSettled(inFlight);
      const failed = outcome.find((o) => o.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      assert.equal(seen.length, 72);
      for (const r of readers) {
        const counters = await ok(r, 'im.counters.get');
        const recent = await ok(r, 'im.recent.get');
        let total = 0;
        for (const dialog of dialogs) {
          // The truth: every message of the dialog after what the reader read, not their own.
          const all: any[] = [];
          for (let last = 0; ;) {
            const page = (await ok(r, 'im.dialog.messages.get', { DIALOG_ID: dialog, LIMIT: 50, ...(last ? { LAST_ID: last } : {}) })).messages;
            all.push(...page);
            if (page.length < 50) break;
            last = page.at(-1).id;
          }
          const truth = all.filter((m) => m.id > (readUpTo[r][dialog] ?? 0) && m.author_id !== r).length;
          total += truth;
          const counted = dialog.startsWith('chat') ? counters.CHAT[group] ?? 0 : counters.DIALOG[dialog] ?? 0;
          assert.equal(counted, truth, `reader ${r}, ${dialog}: im.counters.get`);
          assert.equal((await ok(r, 'im.dialog.get', { DIALOG_ID: dialog })).counter, truth, `reader ${r}, ${dialog}: im.dialog.get`);
          const item = recent.find((i: any) => String(i.id) === dialog);
          assert.equal(item?.counter ?? 0, truth, `reader ${r}, ${dialog}: im.recent.get`);
        }
        // The reader was in no other chat with unread messages (all read before the storm).
        assert.equal(counters.TYPE.ALL, total, `reader ${r}: TYPE.ALL`);
      }
    });
  });
}
