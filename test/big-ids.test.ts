/**
 * Every method, called with ids past what a row id can be (PostgreSQL's bigint ends at 2^63 − 1, and
 * a JavaScript number is exact only to 2^53), answers as for an unknown id — a documented error or an empty result — never a 500
 * (Giphy without a key keeps its documented 503).
 * Runs on PostgreSQL, where such a number in a query fails, and on SQLite.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm } from './helpers/portal.ts';
import { webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { allMethods } from '../src/rest/registry.ts';
import '../src/api/index.ts';

// 2^63: past PostgreSQL's bigint, so an id that reached a query unchecked would fail it.
const BIG = '9223372036854775808';
const ID_PARAMS = ['ID', 'CHAT_ID', 'USER_ID', 'MESSAGE_ID', 'BOT_ID', 'COMMAND_ID', 'FILE_ID', 'DISK_ID', 'UPLOAD_ID',
  'LAST_ID', 'FIRST_ID', 'OWNER_ID', 'NOTIFY_ID', 'TASKID', 'APP_ID', 'id'];

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`ids past the row-id range on ${dialect}`, () => {
    let portal: TestPortal;
    let skip: string | undefined;
    let hook: string;

    before(async () => {
      const suite = await portalSuite(dialect);
      if ('skip' in suite) return void (skip = suite.skip);
      portal = suite;
      hook = await webhookFor(portal, 1, 'im,imbot,user,task,disk,department');
    });
    after(async () => {
      await portal?.close();
    });

    test('no method answers 500', async (t) => {
      if (skip) return t.skip(skip);
      const failures: string[] = [];
      for (const m of allMethods()) {
        if (m.name === 'batch') continue;
        const params: Record<string, unknown> = Object.fromEntries(ID_PARAMS.map((k) => [k, BIG]));
        Object.assign(params, {
          DIALOG_ID: BIG, IDS: [BIG], USERS: [BIG], FILTER: { APP_ID: BIG, USER_ID: BIG, BOT_ID: BIG, RESPONSIBLE_ID: BIG },
          MESSAGE: 'x', TITLE: 'x', NAME: 'x',
        });
        // Big ids everywhere; then a real dialog (Anna's), so the ids behind it are reached too.
        for (const variant of [params, { ...params, DIALOG_ID: `chat${BIG}` }, { ...params, DIALOG_ID: '2', CHAT_ID: undefined }]) {
          const res = await restForm(hook, m.name, variant);
          if (res.status === 500) failures.push(`${m.name} (${variant.DIALOG_ID}): ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      assert.deepEqual(failures, []);
    });
  });
}
