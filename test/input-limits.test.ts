/**
 * Findings 1–3 of the outside security probe, replayed over real HTTP against a real portal:
 * prototype pollution through every body encoding and the query string, PHP's input limits
 * (max_input_vars, max_input_nesting_level) in linear time, JSON depth, and multipart size caps
 * with file parts kept out of memory. MESSAGE is cut at Bitrix24's 20,000 characters.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import fs from 'node:fs';
import path from 'node:path';
import { testPortal, restForm, restJson, waitFor } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { expectError, expectOk, http } from './helpers/rest-assert.ts';
import { MAX_INPUT_VARS, MESSAGE_MAX_CHARS } from '../src/wire/limits.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let portal: Awaited<ReturnType<typeof testPortal>>;
/** Anna's (user 2) webhook, im and imbot. */
let anna: string;
/** Boris (user 3): Anna's dialog partner. */
const BORIS = 3;

before(async () => {
  portal = await testPortal();
  anna = await webhookFor(portal, 2, 'im,imbot,disk');
});

after(async () => {
  await portal?.close();
});

/** The newest message of Anna's dialog with Boris, as im.dialog.messages.get answers it. */
async function lastMessage(): Promise<Record<string, any>> {
  const got = expectOk(await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: BORIS, LIMIT: 1 }));
  return got.messages[0];
}

function form(url: string, body: string, headers: Record<string, string> = {}) {
  return http(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
}

/** What a polluted Object.prototype would add to every message and chat; none of it may exist. */
function assertPrototypeClean(): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ['ATTACH', 'KEYBOARD', 'TITLE', 'MENU', 'x']) assert.equal(probe[key], undefined, `Object.prototype.${key} was set`);
}

describe('finding 1: prototype pollution before authentication', () => {
  test('__proto__ in a /web/login form, a /rest query, a JSON body and a multipart body changes nothing', async () => {
    const evil = '[URL=http://evil.example/login]Your session expired[/URL]';
    const login = await form(`${portal.url}/web/login`, `__proto__[ATTACH][0][MESSAGE]=${encodeURIComponent(evil)}`);
    assert.equal(login.status, 415);
    await http(`${portal.url}/rest/server.time?__proto__[KEYBOARD][0][LINK]=http://evil.example&__proto__[KEYBOARD][0][TEXT]=Go`);
    await form(`${anna}server.time`, '__proto__[TITLE]=X&constructor[prototype][MENU][0][TEXT]=m');
    await http(`${anna}server.time`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"TITLE":"X"},"a":{"constructor":{"prototype":{"x":1}}}}' });
    const multipart = new FormData();
    multipart.append('__proto__[ATTACH][0][MESSAGE]', evil);
    multipart.append('prototype', 'x');
    await http(`${anna}server.time`, { method: 'POST', body: multipart });
    assertPrototypeClean();

    // The probe's symptoms: a plain message got that ATTACH or button, an untitled chat that title.
    const id = expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: BORIS, MESSAGE: 'plain' }));
    const m = await lastMessage();
    assert.equal(m.id, id);
    assert.equal(m.params?.ATTACH, undefined);
    assert.equal(m.params?.KEYBOARD, undefined);
    const chatId = expectOk(await restForm(anna, 'im.chat.add', { USERS: [BORIS] }));
    const chat = expectOk(await restForm(anna, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` }));
    assert.ok(chat.title && chat.title !== 'X', `title ${chat.title}`);
  });

  test('a method given __proto__ keys answers as if they were not sent', async () => {
    const res = await restJson(anna, 'im.message.add', { DIALOG_ID: BORIS, MESSAGE: 'hi', __proto__: { ATTACH: [{ MESSAGE: 'x' }] } } as Record<string, unknown>);
    expectOk(res);
    const body = `DIALOG_ID=${BORIS}&MESSAGE=hi2&ATTACH[__proto__][MESSAGE]=x`;
    expectOk(await form(`${anna}im.message.add`, body));
    assert.equal((await lastMessage()).params?.ATTACH, undefined);
  });
});

describe('finding 2: PHP input limits, in linear time', () => {
  test('100,000 a[]= in one unauthenticated body answer INVALID_REQUEST at once, and the portal keeps serving', async () => {
    const body = Array.from({ length: 100_000 }, () => 'a[]=1').join('&');
    const res = await form(`${portal.url}/rest/server.time`, body);
    expectError(res, 400, 'INVALID_REQUEST');
    assert.match(res.body.error_description, /max_input_vars/);
    expectOk(await restForm(anna, 'server.time'));
  });

  test(`${MAX_INPUT_VARS} variables are accepted (USERS[] of im.chat.add)`, async () => {
    const users = Array.from({ length: MAX_INPUT_VARS - 1 }, () => `USERS[]=${BORIS}`).join('&');
    const chatId = expectOk(await form(`${anna}im.chat.add`, `${users}&TITLE=t`));
    assert.ok(chatId > 0);
    expectError(await form(`${anna}im.chat.add`, `${users}&TITLE=t&ONE=more`), 400, 'INVALID_REQUEST');
  });

  test('the same limits hold for the query string and for each batch command', async () => {
    const query = Array.from({ length: MAX_INPUT_VARS + 1 }, (_, i) => `v${i}=1`).join('&');
    expectError(await http(`${anna}server.time?${query}`), 400, 'INVALID_REQUEST');
    const res = expectOk(await restJson(anna, 'batch', { cmd: { ok: 'server.time', bad: `server.time?${query}` } }));
    assert.ok(res.result.ok);
    assert.equal(res.result_error.bad.error, 'INVALID_REQUEST');
  });

  test('deep nesting: a 10,000-deep form name, 9,000-deep JSON and a 5,000-deep ATTACH answer 400s, never 500', async () => {
    expectError(await form(`${anna}im.message.add`, `DIALOG_ID=${BORIS}&MESSAGE=x&${'A' + '[a]'.repeat(10_000)}=1`), 400, 'INVALID_REQUEST');
    const deepJson = `{"DIALOG_ID":${BORIS},"X":${'['.repeat(9000)}${']'.repeat(9000)}}`;
    // json_decode refuses such depth: the body counts as empty, and the method says what is missing.
    expectError(await http(`${anna}im.message.add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deepJson }), 400, 'USER_ID_EMPTY');
    const deepAttach = '['.repeat(5000) + ']'.repeat(5000);
    expectError(await restForm(anna, 'im.message.add', { DIALOG_ID: BORIS, MESSAGE: 'x', ATTACH: deepAttach }), 400, 'ATTACH_ERROR');
    const nested = `{"DIALOG_ID":${BORIS},"MESSAGE":"x","ATTACH":${'['.repeat(600)}${']'.repeat(600)}}`;
    const viaJson = await http(`${anna}im.message.add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nested });
    assert.ok(viaJson.status < 500, `answered ${viaJson.status}`);
  });

  test('a refused call is still in the REST call log', async () => {
    await form(`${anna}im.message.add`, `DIALOG_ID=${BORIS}&${'B' + '[b]'.repeat(3000)}=1`);
    const row = await waitForCall('im.message.add', 'INVALID_REQUEST');
    assert.equal(row.status, 400);
  });
});

/** The newest call-log row of a method with an error code (the log is written after the answer). */
async function waitForCall(method: string, error: string) {
  for (let i = 0; i < 50; i++) {
    const row = await portal.portal.db.selectFrom('rest_calls').selectAll().where('method', '=', method).where('error', '=', error)
      .orderBy('id', 'desc').executeTakeFirst();
    if (row) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no ${method} call with ${error} in the call log`);
}

/**
 * The portal answers 413 and closes the connection without reading the rest of the body: a client
 * still writing may see a reset instead of the answer (as with nginx's client_max_body_size). Either
 * is a refusal; anything else fails.
 */
async function refused(call: Promise<Awaited<ReturnType<typeof http>>>): Promise<Awaited<ReturnType<typeof http>> | string> {
  try {
    return await call;
  } catch (err) {
    const code = (err as Error & { cause?: { code?: string } }).cause?.code ?? String(err);
    assert.match(code, /EPIPE|ECONNRESET|UND_ERR_SOCKET/);
    return code;
  }
}

describe('finding 3: multipart size caps', () => {
  /** A multipart body streamed from a generator, so the test itself never holds it. */
  function bigMultipart(url: string, parts: number, partBytes: number, asFiles = false) {
    const boundary = '----parleyfuzz';
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    // Pulled a chunk at a time, so the client side holds no more than the transport asks for.
    function* pieces(): Generator<Buffer> {
      for (let i = 0; i < parts; i++) {
        const disposition = asFiles ? `name="f${i}"; filename="f${i}.bin"` : `name="F${i}"`;
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n\r\n`);
        for (let sent = 0; sent < partBytes; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, partBytes - sent));
        yield Buffer.from('\r\n');
      }
      yield Buffer.from(`--${boundary}--\r\n`);
    }
    const it = pieces();
    const stream = new ReadableStream<Uint8Array>({
      pull(ctl) {
        const next = it.next();
        if (next.done) ctl.close();
        else ctl.enqueue(next.value);
      },
    });
    return http(url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: stream, duplex: 'half' } as RequestInit);
  }

  test('four concurrent 100 MB unauthenticated bodies are refused with 413, and memory comes back', async () => {
    gc();
    const start = process.memoryUsage();
    const answers = await Promise.all([0, 1, 2, 3].map((i) => refused(bigMultipart(`${portal.url}/rest/server.time`, 1, 100 * 1024 * 1024, i % 2 === 0))));
    for (const res of answers) if (typeof res !== 'string') expectError(res, 413, 'ERROR_REQUEST_TOO_LARGE');
    expectOk(await restForm(anna, 'server.time'));
    // Without a cap the fields are held whole (and files twice, with a base64 copy): hundreds of MB.
    // The refused bodies' last chunks may still be in flight on a busy machine: give them 5 s to go.
    const grown = () => {
      gc();
      const end = process.memoryUsage();
      return end.heapUsed + end.arrayBuffers - start.heapUsed - start.arrayBuffers;
    };
    let growth = grown();
    for (const until = Date.now() + 5000; growth >= 64 * 1024 * 1024 && Date.now() < until; growth = grown()) await new Promise((r) => setTimeout(r, 200));
    assert.ok(growth < 64 * 1024 * 1024, `heap grew by ${Math.round(growth / 1048576)} MB`);
  });

  test('2,000 fields of 50 KB are refused (the body limit)', async () => {
    const res = await refused(bigMultipart(`${portal.url}/rest/server.time`, 2000, 50 * 1024));
    if (typeof res !== 'string') assert.ok(res.status === 413 || res.status === 400, `answered ${res.status}`);
  });

  test('more file parts than PHP\'s max_file_uploads are INVALID_REQUEST', async () => {
    expectError(await bigMultipart(`${anna}server.time`, 21, 10, true), 400, 'INVALID_REQUEST');
  });

  test('a file part still uploads (streamed to disk) and is readable back', async () => {
    const folder = expectOk(await restForm(anna, 'im.disk.folder.get', { CHAT_ID: expectOk(await restForm(anna, 'im.chat.add', { USERS: [BORIS] })) }));
    const fd = new FormData();
    fd.append('id', String(folder.ID));
    fd.append('data[NAME]', 'notes.txt');
    fd.append('fileContent', new Blob([Buffer.from('hello from a file part')]), 'notes.txt');
    const file = expectOk(await http(`${anna}disk.folder.uploadfile`, { method: 'POST', body: fd }));
    assert.equal(Number(file.SIZE), 22);
    const download = await fetch(file.DOWNLOAD_URL);
    assert.equal(await download.text(), 'hello from a file part');
  });

  test('the file part of an upload the client abandons is removed from disk', async () => {
    const dir = path.join(portal.portal.config.filesDir, 'tmp', 'parts');
    const boundary = '----parleyabort';
    const abort = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(ctl) {
        if (sent++ === 0) return ctl.enqueue(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="f.bin"\r\n\r\n`));
        if (sent < 20) return ctl.enqueue(Buffer.alloc(64 * 1024, 0x62));
        // The part is on disk by now; the client goes away without finishing the body.
        await waitFor('the part on disk', async () => fs.existsSync(dir) && fs.readdirSync(dir).length > 0);
        abort.abort();
      },
    });
    await fetch(`${anna}server.time`, {
      method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body, duplex: 'half', signal: abort.signal,
    } as RequestInit).catch(() => undefined);
    await waitFor('the part removed', async () => fs.readdirSync(dir).length === 0);
  });

  test(`a 31 MB MESSAGE is stored cut at ${MESSAGE_MAX_CHARS} characters with " (...)"`, async () => {
    const fd = new FormData();
    fd.append('DIALOG_ID', String(BORIS));
    fd.append('MESSAGE', 'я'.repeat(31 * 1024 * 1024 / 2));
    const id = expectOk(await http(`${anna}im.message.add`, { method: 'POST', body: fd }));
    const m = await lastMessage();
    assert.equal(m.id, id);
    assert.equal(m.text, `${'я'.repeat(MESSAGE_MAX_CHARS)} (...)`);
  });
});
