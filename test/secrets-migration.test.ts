/**
 * Migration 0014 on a store as the previous release left it (plaintext tokens, refresh tokens, OAuth
 * codes, session ids and webhook codes; a call log with a webhook URL; a world-readable data
 * directory): after the upgrade none of those plaintexts is in the SQLite bytes or the PostgreSQL
 * rows, every one of them still works, and the data directory and its files are made private.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { restForm, tempDir, testPortal } from './helpers/portal.ts';
import { databaseFor } from './helpers/postgres.ts';
import { sqliteBytes } from './helpers/raw-store.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { migrate } from '../src/store/migrations.ts';
import { seedPortal } from '../src/domain/users.ts';

const hex = (bytes: number) => crypto.randomBytes(bytes).toString('hex');
const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** The secrets an older portal stored in plain text. */
const old = {
  access: hex(32), refresh: hex(32), expiredAccess: hex(32), expiredRefresh: hex(32),
  code: hex(16), session: hex(24), hook: hex(8), clientSecret: hex(24), appToken: hex(16),
};

/** Build a store at schema version 13 (the release before 0014) holding `old` in plain text. */
async function olderStore(dialect: 'sqlite' | 'postgres', dataDir: string, url?: string): Promise<void> {
  const db = new Kysely<any>({
    dialect: dialect === 'sqlite'
      ? new SqliteDialect({ database: new SQLite(path.join(dataDir, 'parley.sqlite')) })
      : new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }),
  });
  try {
    await migrate(db, { name: dialect, skipLocked: dialect === 'postgres', oneWriter: dialect !== 'postgres' }, 13);
    await seedPortal(db);
    const now = Date.now();
    const app = await db.insertInto('apps').values({
      code: 'local.old.1', name: 'Old', client_id: 'local.old.1', client_secret: old.clientSecret, application_token: old.appToken,
      handler_url: 'http://127.0.0.1:1/', scope: 'im,imbot', version: 1, installed: 1, install_user_id: 1, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('tokens').values([
      { access_token: old.access, refresh_token: old.refresh, app_id: app.id, user_id: 2, scope: 'im,imbot', expires_at: now + 3600_000, refresh_expires_at: now + 86400_000, created_at: now },
      { access_token: old.expiredAccess, refresh_token: old.expiredRefresh, app_id: app.id, user_id: 2, scope: 'im,imbot', expires_at: now - 7200_000, refresh_expires_at: now - 3600_000, created_at: now - 9000_000 },
    ]).execute();
    await db.insertInto('oauth_codes').values({ code: old.code, app_id: app.id, user_id: 3, expires_at: now + 600_000 }).execute();
    await db.insertInto('sessions').values({ id: old.session, user_id: 2, expires_at: now + 86400_000 }).execute();
    await db.insertInto('webhooks').values({ user_id: 1, code: old.hook, scope: 'im,imbot,parley', title: 'old', created_at: now }).execute();
    await db.insertInto('rest_calls').values({
      method: 'parley.webhook.add', user_id: 1, app_id: 0, webhook_id: 1, params: '{}', status: 200, error: '',
      result: JSON.stringify({ url: `http://x/rest/1/${old.hook}/` }), duration_ms: 1, created_at: now,
    }).execute();
  } finally {
    await db.destroy();
  }
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`migration 0014 on ${dialect}`, () => {
    let dropDb: (() => Promise<void>) | undefined;
    let close: (() => Promise<void>) | undefined;
    after(async () => {
      await close?.();
      await dropDb?.();
    });

    test('hashes what an older portal stored, keeps every credential working and makes the data private', { timeout: 60_000 }, async (t) => {
      const store = await databaseFor(dialect);
      dropDb = store.drop;
      if (store.skip) return t.skip(store.skip);
      // A data directory as an older release and a 022 umask left it.
      const dataDir = tempDir();
      fs.chmodSync(dataDir, 0o755);
      fs.writeFileSync(path.join(dataDir, 'credentials.txt'), '# id\tlogin\tpassword\tname\n', { mode: 0o644 });
      fs.mkdirSync(path.join(dataDir, 'tls'), { mode: 0o755 });
      fs.writeFileSync(path.join(dataDir, 'tls', 'ca.key'), 'not really a key\n', { mode: 0o644 });
      await olderStore(dialect, dataDir, store.db);
      if (dialect === 'sqlite') fs.chmodSync(path.join(dataDir, 'parley.sqlite'), 0o644);

      const portal = await testPortal({ dataDir, db: store.db });
      close = () => portal.close();
      let stored: string;
      if (dialect === 'sqlite') {
        stored = sqliteBytes(dataDir);
      } else {
        const c = new pg.Client({ connectionString: store.db });
        await c.connect();
        stored = '';
        for (const table of ['tokens', 'oauth_codes', 'sessions', 'webhooks', 'rest_calls']) stored += JSON.stringify((await c.query(`SELECT * FROM ${table}`)).rows);
        await c.end();
      }
      for (const name of ['access', 'refresh', 'expiredAccess', 'expiredRefresh', 'code', 'session', 'hook'] as const) {
        assert.ok(!stored.includes(old[name]), `${name} is no longer stored in plain text`);
      }
      // client_secret and application_token are sent and shown by the protocol: kept, behind the file modes.
      assert.ok(stored.includes(old.clientSecret) || dialect === 'postgres');

      assert.equal(mode(dataDir), 0o700);
      assert.equal(mode(path.join(dataDir, 'credentials.txt')), 0o600);
      assert.equal(mode(path.join(dataDir, 'tls')), 0o700);
      assert.equal(mode(path.join(dataDir, 'tls', 'ca.key')), 0o600);
      if (dialect === 'sqlite') assert.equal(mode(path.join(dataDir, 'parley.sqlite')), 0o600);

      // Every old credential works from its plaintext.
      const rest = `${portal.url}/rest/`;
      const hook = `${portal.url}/rest/1/${old.hook}/`;
      assert.equal(expectOk(await restForm(hook, 'user.current')).ID, '1');
      assert.equal(expectOk(await restForm(rest, 'user.current', { auth: old.access })).ID, '2');
      expectError(await restForm(rest, 'user.current', { auth: old.expiredAccess }), 401, 'invalid_token');
      const token = (params: Record<string, string>) => fetch(`${portal.url}/oauth/token/`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: 'local.old.1', client_secret: old.clientSecret, ...params }).toString(),
      }).then(async (r) => ({ status: r.status, body: await r.json() as any }));
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: old.refresh });
      assert.equal(refreshed.status, 200);
      assert.equal(expectOk(await restForm(rest, 'user.current', { auth: refreshed.body.access_token })).ID, '2');
      const byCode = await token({ grant_type: 'authorization_code', code: old.code });
      assert.equal(byCode.body.user_id, 3);
      const web = await fetch(`${portal.url}/web/token`, { headers: { cookie: `parley_session=${old.session}` } });
      assert.equal(web.status, 200);
      assert.equal(((await web.json()) as any).user_id, 2);
      const listed = expectOk(await restForm(hook, 'parley.webhook.list')).find((w: any) => w.title === 'old');
      assert.equal(listed.url_masked, `${portal.url}/rest/1/${old.hook.slice(0, 4)}…/`);
      // The call log written before redaction by value is gone.
      assert.ok(!JSON.stringify(await portal.portal.db.selectFrom('rest_calls').selectAll().execute()).includes(old.hook));
    });
  });
}
