/**
 * REST callers are kept between calls (src/auth/caller-cache.ts), and a kept caller never outlives
 * what it was built from: this process's own writes drop it at once; on SQLite so does a commit by
 * another connection (the `parley` CLI's); on PostgreSQL another process's change is seen within
 * the cache's bound. Each case first makes a call, so the caller is in the cache when it changes.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, waitFor } from './helpers/portal.ts';
import { addUser, operatorPortal, portalSuite, webhookFor, type Dialect, type TestPortal } from './helpers/suite.ts';
import { CALLER_TTL_MS } from '../src/auth/caller-cache.ts';

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe(`kept callers on ${dialect}`, () => {
    let p: TestPortal;
    let skip: string | undefined;
    before(async () => {
      const s = await portalSuite(dialect);
      if ('skip' in s) skip = s.skip;
      else p = s;
    });
    after(() => p?.close());

    /** A new user with a webhook, called once so that its caller is kept. */
    async function calledOnce(name: string): Promise<{ id: number; hook: string }> {
      const id = await addUser(p, { name });
      const hook = await webhookFor(p, id, 'im,user');
      const first = await restForm(hook, 'profile');
      assert.equal(first.status, 200);
      assert.equal(first.body.result.NAME, name);
      return { id, hook };
    }

    test('a user renamed by this process shows the new name at the next call', async (t) => {
      if (skip) return t.skip(skip);
      const { id, hook } = await calledOnce('Before');
      await p.portal.db.updateTable('users').set({ name: 'After' }).where('id', '=', id).execute();
      assert.equal((await restForm(hook, 'profile')).body.result.NAME, 'After');
    });

    test('a webhook deleted by this process is refused at the next call', async (t) => {
      if (skip) return t.skip(skip);
      const { id, hook } = await calledOnce('Hooked');
      await p.portal.db.deleteFrom('webhooks').where('user_id', '=', id).execute();
      const refused = await restForm(hook, 'profile');
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error, 'INVALID_CREDENTIALS');
    });

    test('a user deactivated by another process (the CLI\'s connection) is refused', async (t) => {
      if (skip) return t.skip(skip);
      const { id, hook } = await calledOnce('Leaving');
      const op = await operatorPortal(p);
      try {
        await op.portal.db.updateTable('users').set({ active: 0 }).where('id', '=', id).execute();
      } finally {
        await op.close();
      }
      const changedAt = performance.now();
      if (dialect === 'sqlite') {
        // data_version tells of the other connection's commit: the very next call is refused.
        assert.equal((await restForm(hook, 'profile')).body.error, 'authorization_error');
        return;
      }
      await waitFor('the change seen', async () => (await restForm(hook, 'profile')).body.error === 'authorization_error', 10 * CALLER_TTL_MS.postgres);
      // Unannounced changes wait out the entry's bound, and no more (a margin for a busy machine).
      assert.ok(performance.now() - changedAt < CALLER_TTL_MS.postgres + 2_000);
    });
  });
}
