/**
 * Chatbots 2.0 bots as real processes against a real portal: a fetch-mode bot with no listening port
 * polling imbot.v2.Event.get and answering with Chat.Message.send; a webhook-mode bot receiving its
 * events from the dispatcher; a classic bot and a v2 bot in one group chat, each hearing the same
 * message in its own format; and the quick start's cURL sequence run with curl.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { botEvents, echoBot, restJson, ROOT, spawnListening, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, sqlitePortalFor, webhookFor } from './helpers/suite.ts';

const execFileP = promisify(execFile);
const ADMIN = 1;
const ANNA = 2;

/** Start the fetch-mode fixture; answers the process and its bot's id (it prints `registered ID`). */
async function fetchBot(hook: string, token: string, code: string, type = 'bot'): Promise<{ child: Child; botId: number }> {
  const child = await spawnListening(process.execPath, [path.join(ROOT, 'test/fixtures/v2-fetch-bot.mjs'), hook, token, code, type], {}, /registered (\d+)/);
  return { child, botId: child.port };
}

/** The events a fetch-mode fixture printed, parsed. */
function printed(child: Child): any[] {
  return [...child.output().matchAll(/^event \S+ (.*)$/gm)].map((m) => JSON.parse(m[1]));
}

describe('imbot.v2 bots as processes', () => {
  const running = sqlitePortalFor();
  let hook: string;
  let annaHook: string;
  const children: Child[] = [];
  const ok = async (base: string, method: string, params: Record<string, unknown>) => {
    const r = await restJson(base, method, params);
    assert.equal(r.status, 200, `${method}: ${JSON.stringify(r.body)}`);
    return r.body.result;
  };
  const messages = async (base: string, dialog: string | number) => (await ok(base, 'im.dialog.messages.get', { DIALOG_ID: dialog })).messages as any[];

  before(async () => {
    hook = await webhookFor(running(), ADMIN, 'imbot,im,parley');
    annaHook = await webhookFor(running(), ANNA, 'im');
  });
  after(async () => {
    for (const c of children) await c.stop();
  });

  test('a fetch-mode bot without a listening port polls, acknowledges and answers a user', async () => {
    const { child, botId } = await fetchBot(hook, 'fetch_tok', 'poller');
    children.push(child);
    await ok(annaHook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'Hello, poller' });
    await waitFor('the first answer', async () => (await messages(annaHook, botId)).find((m) => m.text === 'fetched: Hello, poller'));
    await ok(annaHook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'Second' });
    await waitFor('the second answer', async () => (await messages(annaHook, botId)).find((m) => m.text === 'fetched: Second'));
    // Each event was fetched once: what the bot acknowledged never came back.
    const seen = printed(child);
    assert.deepEqual(seen.map((e) => e.type), ['ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD', 'ONIMBOTV2MESSAGEADD']);
    assert.deepEqual(seen.slice(1).map((e) => [e.data.message.text, e.data.chat.dialogId, e.data.user.id]), [['Hello, poller', String(ANNA), ANNA], ['Second', String(ANNA), ANNA]]);
    assert.ok(seen.every((e, i) => i === 0 || e.eventId > seen[i - 1].eventId));
    assert.doesNotMatch(child.output(), /^error/m);
    // It never listened: no socket of its process is in the listening table (Linux `ss`).
    const listening = (await execFileP('ss', ['-ltnpH'])).stdout;
    assert.doesNotMatch(listening, new RegExp(`pid=${child.proc.pid},`));
    assert.match(listening, new RegExp(`:${new URL(running().url).port}\\b`), 'the check sees listening sockets at all');
  });

  test('a webhook-mode bot gets its events POSTed by the dispatcher, answers with the token they carry, and hears its deletion last', async () => {
    const child = await spawnListening(process.execPath, [path.join(ROOT, 'test/fixtures/v2-webhook-bot.mjs'), hook, 'hook_tok', 'hooked']);
    children.push(child);
    const botId = Number(/bot (\d+)/.exec(child.output())![1]);
    const sent = await ok(annaHook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'Hello, hook' });
    await waitFor('the answer', async () => (await messages(annaHook, botId)).find((m) => m.text === 'hooked: Hello, hook'));
    const got = await botEvents(child);
    assert.deepEqual(got.map((e) => e.body.event), ['ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD']);
    const add = got[1];
    // Form-encoded as events.md says (http_build_query): every scalar a string.
    assert.equal(add.contentType, 'application/x-www-form-urlencoded');
    assert.match(add.raw, /(^|&)data%5Bbot%5D%5Bid%5D=\d+/);
    const { data, auth } = add.body;
    assert.deepEqual(Object.keys(data), ['bot', 'message', 'chat', 'user', 'language']);
    assert.deepEqual([data.bot.id, data.bot.code], [String(botId), 'hooked']);
    assert.ok(data.bot.auth.access_token && data.bot.auth.refresh_token && data.bot.auth.application_token);
    assert.deepEqual([data.message.id, data.message.text, data.message.isSystem, data.chat.dialogId, data.user.id], [String(sent), 'Hello, hook', '0', String(ANNA), String(ANNA)]);
    // The top-level auth identifies the portal and the bot's application, with no user's tokens.
    const app = await running().portal.db.selectFrom('bots').innerJoin('apps', 'apps.id', 'bots.app_id').select(['apps.application_token']).where('bots.id', '=', botId).executeTakeFirstOrThrow();
    assert.equal(auth.application_token, app.application_token);
    assert.equal(data.bot.auth.application_token, app.application_token);
    assert.ok(auth.domain);
    assert.equal(auth.access_token, undefined);
    assert.equal(add.reply.result.uuidMap !== undefined, true, JSON.stringify(add.reply));
    // The console's event log shows the deliveries like any other.
    const logged = await ok(hook, 'parley.event.list', {});
    assert.ok(JSON.stringify(logged).includes('ONIMBOTV2MESSAGEADD'));
    // A context (a link's BOT_CONTEXT) arrives as ONIMBOTV2CONTEXTGET, form-encoded like the rest.
    assert.equal(await ok(annaHook, 'im.v2.Chat.Bot.sendContext', { dialogId: String(botId), context: { action: 'openTask', taskId: 456 } }), true);
    const ctx = await waitFor('ONIMBOTV2CONTEXTGET', async () => (await botEvents(child)).find((e: any) => e.body.event === 'ONIMBOTV2CONTEXTGET'));
    assert.deepEqual(Object.keys(ctx.body.data), ['bot', 'dialogId', 'context', 'chat', 'user', 'language']);
    assert.deepEqual([ctx.body.data.dialogId, ctx.body.data.context, ctx.body.data.user.id], [String(ANNA), { action: 'openTask', taskId: '456' }, String(ANNA)]);
    assert.ok(ctx.body.data.bot.auth.access_token);
    // Removed: ONIMBOTV2DELETE is its last event, with the bot alone in data.
    await ok(hook, 'imbot.v2.Bot.unregister', { botId, botToken: 'hook_tok' });
    const last = await waitFor('ONIMBOTV2DELETE', async () => (await botEvents(child)).find((e: any) => e.body.event === 'ONIMBOTV2DELETE'));
    assert.deepEqual(Object.keys(last.body.data), ['bot']);
    assert.equal(last.body.data.bot.id, String(botId));
  });

  test('a classic bot and a v2 bot in one group chat each hear the same message in their own format', async () => {
    const echo = await echoBot(0, 'S');
    children.push(echo);
    const { botId: classicId } = await installEchoBot(running(), echo);
    const { child, botId: v2Id } = await fetchBot(hook, 'mixed_tok', 'watcher', 'supervisor');
    children.push(child);
    const chat = await ok(annaHook, 'im.chat.add', { USERS: [classicId, v2Id], TITLE: 'Mixed' });
    const sent = await ok(annaHook, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'both of you' });
    await waitFor('both answers', async () => {
      const texts = (await messages(annaHook, `chat${chat}`)).map((m) => m.text);
      return texts.includes('echo: both of you') && texts.includes('fetched: both of you');
    });
    const classic = (await botEvents(echo)).filter((e) => e.event === 'ONIMBOTMESSAGEADD');
    assert.deepEqual(classic.map((e) => [e.data.PARAMS.MESSAGE, e.data.PARAMS.MESSAGE_ID, e.data.PARAMS.DIALOG_ID]), [['both of you', String(sent), `chat${chat}`]]);
    assert.ok((await botEvents(echo)).every((e) => !String(e.event).startsWith('ONIMBOTV2')));
    const v2 = printed(child).filter((e) => e.type === 'ONIMBOTV2MESSAGEADD');
    assert.deepEqual(v2.map((e) => [e.data.message.text, e.data.message.id, e.data.chat.dialogId]), [['both of you', sent, `chat${chat}`]]);
    // Bots do not hear bots: neither answered the other.
    const texts = (await messages(annaHook, `chat${chat}`)).map((m) => m.text);
    assert.equal(texts.filter((t) => t.startsWith('echo: ') || t.startsWith('fetched: ')).length, 2);
  });

  test("the quick start's cURL sequence (steps 1–6: register, Event.get, Message.send, Message.get, File.upload, File.download) runs as written against Parley", async () => {
    // Adapted only where the page's example is not this portal: the webhook address, and the ids it
    // invents (bot 456, chat5) replaced by the ones this portal gives.
    const curl = async (method: string, body: string) => JSON.parse((await execFileP('curl', ['-s', '-X', 'POST', `${hook}${method}`, '-H', 'Content-Type: application/json', '-d', body])).stdout);
    const reg = await curl('imbot.v2.Bot.register', `{
    "botToken": "my_secret_token_123",
    "fields": {
      "code": "support_bot",
      "properties": {"name": "Support Bot", "workPosition": "AI Assistant"},
      "eventMode": "fetch"
    }
  }`);
    const botId = reg.result.bot.id;
    assert.equal(reg.result.bot.code, 'support_bot');
    const chat = await ok(annaHook, 'im.chat.add', { USERS: [botId], TITLE: 'Support' });
    const got = await curl('imbot.v2.Event.get', `{
    "botId": ${botId},
    "botToken": "my_secret_token_123",
    "limit": 50
  }`);
    assert.deepEqual(got.result.events.map((e: any) => [e.type, e.data.dialogId]), [['ONIMBOTV2JOINCHAT', `chat${chat}`]]);
    const sent = await curl('imbot.v2.Chat.Message.send', `{
    "botId": ${botId},
    "botToken": "my_secret_token_123",
    "dialogId": "chat${chat}",
    "fields": {"message": "Hello! How can I help you?"}
  }`);
    assert.ok(sent.result.id > 0);
    assert.ok((await messages(annaHook, `chat${chat}`)).some((m) => m.id === sent.result.id && m.text === 'Hello! How can I help you?'));

    // 4. Read a message by replyId: the step's own heading says only supervisor/personal bots may, so
    // the type `bot` of step 1 is refused, and the same body works for a supervisor registered beside it.
    const reply = await ok(annaHook, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'About your answer', REPLY_ID: sent.result.id });
    const getBody = (id: number, token: string) => `{
    "botId": ${id},
    "botToken": "${token}",
    "messageId": ${sent.result.id}
  }`;
    const refusedGet = await curl('imbot.v2.Chat.Message.get', getBody(botId, 'my_secret_token_123'));
    assert.equal(refusedGet.error, 'BOT_TYPE_NOT_ALLOWED');
    const supervisor = (await curl('imbot.v2.Bot.register', `{
    "botToken": "my_supervisor_token",
    "fields": {"code": "support_supervisor", "type": "supervisor", "properties": {"name": "Support Supervisor"}, "eventMode": "fetch"}
  }`)).result.bot.id;
    await ok(annaHook, 'im.chat.user.add', { CHAT_ID: chat, USERS: [supervisor] });
    const replied = (await messages(annaHook, `chat${chat}`)).find((m) => m.id === reply);
    assert.equal(Number(replied.params.REPLY_ID), sent.result.id);
    const original = await curl('imbot.v2.Chat.Message.get', getBody(supervisor, 'my_supervisor_token'));
    assert.deepEqual([original.result.message.id, original.result.message.text], [sent.result.id, 'Hello! How can I help you?']);

    // 5. Upload a file in the chat, as written (Base64 of "Hello World!").
    const up = await curl('imbot.v2.File.upload', `{
    "botId": ${botId},
    "botToken": "my_secret_token_123",
    "dialogId": "chat${chat}",
    "fields": {"name": "report.txt", "content": "SGVsbG8gV29ybGQh", "message": "Here is the report"}
  }`);
    assert.equal(up.result.file.name, 'report.txt');
    assert.ok((await messages(annaHook, `chat${chat}`)).some((m) => m.id === up.result.messageId && m.text === 'Here is the report'));

    // 6. Its download link, as written (the page's body names the dialog too), and the bytes behind it.
    const link = await curl('imbot.v2.File.download', `{
    "botId": ${botId},
    "botToken": "my_secret_token_123",
    "dialogId": "chat${chat}",
    "fileId": ${up.result.file.id}
  }`);
    const bytes = await fetch(link.result.downloadUrl);
    assert.equal(bytes.status, 200);
    assert.equal(await bytes.text(), 'Hello World!');
  });
});
