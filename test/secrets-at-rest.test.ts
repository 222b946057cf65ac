/**
 * Secrets at rest: after a portal has been used (webhooks, an app install with events, OAuth refresh
 * and code, a browser session, file uploads), no access token, refresh token, OAuth code, session id
 * or webhook code is in the SQLite file's bytes or the PostgreSQL rows — only their hashes — while
 * every one of them still works. The REST call log keeps no webhook code, caller secret or file
 * bytes. On SQLite, also: the data directory is 0700 and its files 0600.
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { botEvents, echoBot, restForm, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { postgresRows, sqliteBytes } from './helpers/raw-store.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { issueCode } from '../src/auth/oauth-codes.ts';

const mode = (p: string) => fs.statSync(p).mode & 0o777;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`secrets at rest on ${dialect}`, () => {
    let portal: TestPortal;
    let bot: Child;
    let skip: string | undefined;

    before(async () => {
      const suite = await portalSuite(dialect);
      if ('skip' in suite) return void (skip = suite.skip);
      portal = suite;
      bot = await echoBot();
    });

    after(async () => {
      await bot?.stop();
      await portal?.close();
    });

    test('tokens, codes, session ids and webhook codes are stored only as hashes, and all still work', { timeout: 90_000 }, async (t) => {
      if (skip) return t.skip(skip);
      const rest = `${portal.url}/rest/`;
      const secrets: Record<string, string> = {};
      // Webhooks: from the CLI and from parley.webhook.add (whose answer shows the URL once).
      const admin = await webhookFor(portal, 1, 'im,imbot,parley');
      const added = expectOk(await restForm(admin, 'parley.webhook.add', { USER_ID: 2, SCOPE: 'im,disk', TITLE: 'Anna' }));
      const anna = added.url as string;
      secrets.adminHook = /\/rest\/1\/(\w+)\/$/.exec(admin)![1];
      secrets.annaHook = /\/rest\/2\/(\w+)\/$/.exec(anna)![1];

      // An app: ONAPPINSTALL's tokens, then a message so ONIMBOTMESSAGEADD carries the bot's tokens.
      const { app, botId, install } = await installEchoBot(portal, bot);
      secrets.installAccess = install.auth.access_token;
      secrets.installRefresh = install.auth.refresh_token;
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'hello' }));
      const msgEvent = await waitFor('ONIMBOTMESSAGEADD', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEADD' && e.reply));
      secrets.eventAccess = msgEvent.auth.access_token;
      secrets.botAccess = msgEvent.data.BOT[botId].access_token;

      // OAuth: a refresh (client_secret and refresh_token in the query), a traded code and a pending one.
      const refreshed = await (await fetch(`${portal.url}/oauth/token/?${new URLSearchParams({
        grant_type: 'refresh_token', client_id: app.client_id, client_secret: app.client_secret, refresh_token: install.auth.refresh_token,
      })}`)).json() as any;
      secrets.refreshedAccess = refreshed.access_token;
      secrets.refreshedRefresh = refreshed.refresh_token;
      const traded = await issueCode(portal.portal.db, app.id, 3, portal.portal.clock.now());
      const byCode = await (await fetch(`${portal.url}/oauth/token/`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: app.client_id, client_secret: app.client_secret, code: traded }).toString(),
      })).json() as any;
      assert.equal(byCode.user_id, 3);
      secrets.codeAccess = byCode.access_token;
      secrets.pendingCode = await issueCode(portal.portal.db, app.id, 3, portal.portal.clock.now());

      // A browser session and the web messenger's token.
      const [, login, password] = fs.readFileSync(path.join(portal.dataDir, 'credentials.txt'), 'utf8').split('\n')
        .find((l) => l.split('\t')[1] === 'anna')!.split('\t');
      const signIn = await fetch(`${portal.url}/web/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
      assert.equal(signIn.status, 200);
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
      secrets.session = cookie.split('=')[1];
      const web = await (await fetch(`${portal.url}/web/token`, { headers: { cookie } })).json() as any;
      secrets.webAccess = web.access_token;

      // Files, base64 in a form and a multipart part: their bytes must not reach the call log.
      const chat = expectOk(await restForm(anna, 'im.chat.add', { TITLE: 'Files', USERS: [3] }));
      const folder = expectOk(await restForm(anna, 'im.disk.folder.get', { CHAT_ID: chat })).ID;
      const fileBytes = Buffer.alloc(3000, 'parley-file-bytes-');
      expectOk(await restForm(anna, 'disk.folder.uploadfile', { id: folder, data: { NAME: 'a.txt' }, fileContent: ['a.txt', fileBytes.toString('base64')] }));
      const form = new FormData();
      form.append('id', String(folder));
      form.append('data[NAME]', 'b.txt');
      form.append('fileContent', new Blob([fileBytes]), 'b.txt');
      const multipart = await fetch(`${anna}disk.folder.uploadfile`, { method: 'POST', body: form });
      expectOk({ status: multipart.status, body: await multipart.json() });
      // A failing call whose parameters quote secrets: logged, but not the secrets.
      const failed = await restForm(anna, 'im.message.add', { DIALOG_ID: 'chat999999', MESSAGE: `hook ${admin} token ${secrets.botAccess} own ${anna}` });
      assert.ok(failed.status >= 400 && failed.body.error, JSON.stringify(failed.body));

      for (const [name, value] of Object.entries(secrets)) assert.ok(value && value.length >= 16, `${name} was issued`);
      const stored = dialect === 'sqlite' ? sqliteBytes(portal.dataDir) : await postgresRows(portal.db!);
      for (const [name, value] of Object.entries(secrets)) assert.ok(!stored.includes(value), `${name} is not stored in plain text`);

      // The call log: webhook codes masked, the caller's secrets hidden, file content as a size.
      // (Written after each answer is sent: wait for the last call's row.)
      const log = await waitFor('the failed call logged', async () => {
        const rows = JSON.stringify(await portal.portal.db.selectFrom('rest_calls').selectAll().execute());
        return rows.includes('chat999999') && rows;
      });
      for (const [name, value] of Object.entries(secrets)) assert.ok(!log.includes(value), `${name} is not in the call log`);
      assert.ok(!log.includes(fileBytes.toString('base64').slice(0, 40)), 'no file bytes in the call log');
      assert.match(log, /\(3000 bytes\)/);
      assert.match(log, new RegExp(`/rest/2/${secrets.annaHook.slice(0, 4)}…/`));

      // Everything still works from its plaintext.
      assert.equal(expectOk(await restForm(admin, 'user.current')).ID, '1');
      assert.equal(expectOk(await restForm(anna, 'user.current')).ID, '2');
      assert.equal(expectOk(await restForm(rest, 'user.current', { auth: secrets.refreshedAccess })).ID, '1');
      assert.equal(expectOk(await restForm(rest, 'user.current', { auth: secrets.codeAccess })).ID, '3');
      assert.equal(expectOk(await restForm(rest, 'user.current', { auth: secrets.webAccess })).ID, '2');
      expectError(await restForm(rest, 'user.current', { auth: secrets.installAccess }), 401, 'invalid_token'); // rotated by the refresh
      const again = await (await fetch(`${portal.url}/web/token`, { headers: { cookie } })).json() as any;
      assert.equal(again.access_token, secrets.webAccess, 'the web token is reused while it has more than half its life');
      const pending = await (await fetch(`${portal.url}/oauth/token/`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: app.client_id, client_secret: app.client_secret, code: secrets.pendingCode }).toString(),
      })).json() as any;
      assert.equal(pending.user_id, 3);
    });

    test('a handler that echoes its request leaves none of the tokens it was sent in the event log', { timeout: 60_000 }, async (t) => {
      if (skip) return t.skip(skip);
      const bodies: string[] = [];
      const mirror = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          bodies.push(body);
          res.end(body);
        });
      });
      await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
      try {
        const admin = await webhookFor(portal, 1, 'im,imbot,parley');
        const handler = `http://127.0.0.1:${(mirror.address() as { port: number }).port}/`;
        const app = expectOk(await restForm(admin, 'parley.app.add', { NAME: 'Mirror', HANDLER: handler, SCOPE: 'im' }));
        const [delivery] = await waitFor('ONAPPINSTALL delivered', async () => {
          const list = expectOk(await restForm(admin, 'parley.event.list', { FILTER: { APP_ID: app.id, STATUS: 'delivered' } }));
          return list.length ? list : undefined;
        });
        const sent = new URLSearchParams(bodies[0]);
        const secrets = ['auth[access_token]', 'auth[refresh_token]', 'auth[application_token]'].map((k) => sent.get(k)!);
        for (const s of secrets) assert.match(s, /^[0-9a-f]{32,}$/);
        assert.match(delivery.response_body, /auth%5Bdomain%5D=/, 'the response is kept');
        for (const s of secrets) assert.ok(!delivery.response_body.includes(s), 'no sent token in the stored response');
        if (dialect === 'sqlite') {
          const stored = sqliteBytes(portal.dataDir);
          for (const s of secrets.slice(0, 2)) assert.ok(!stored.includes(s), 'no sent token in the database');
        }
      } finally {
        mirror.close();
      }
    });

    test('the data directory is 0700 and the database, credentials and chat files 0600', async (t) => {
      if (skip) return t.skip(skip);
      assert.equal(mode(portal.dataDir), 0o700);
      assert.equal(mode(path.join(portal.dataDir, 'credentials.txt')), 0o600);
      assert.equal(mode(portal.portal.config.filesDir), 0o700);
      const blobs = fs.readdirSync(portal.portal.config.filesDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      assert.ok(blobs.length > 0, 'the uploads were stored');
      for (const b of blobs) assert.equal(mode(path.join(b.parentPath, b.name)), 0o600, b.name);
      if (dialect === 'sqlite') {
        assert.equal(mode(path.join(portal.dataDir, 'parley.sqlite')), 0o600);
        // SQLite creates its -wal and -shm files with the database's mode.
        for (const f of ['parley.sqlite-wal', 'parley.sqlite-shm']) assert.equal(mode(path.join(portal.dataDir, f)), 0o600, f);
      }
    });
  });
}
