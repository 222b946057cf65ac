/**
 * What must follow a commit runs after it: a bot's message, its deletion and likes by bots and users
 * reach open clients because the action wakes the realtime hub once committed, not because the hub
 * happens to poll. The hub's poll is set to an hour here, so only a wake can deliver these pushes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { echoBot, restForm, testPortal, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { hello, listen, socketUrl, type Listener } from './helpers/realtime.ts';

let portal: Awaited<ReturnType<typeof testPortal>>;
let bot: Child;
let botId: number;
/** The echo app's REST base and token (the bot acts through them). */
let rest: string;
let token: string;
let anna: string;
let socket: Listener;

before(async () => {
  portal = await testPortal({ realtimePollMs: 3_600_000 });
  bot = await echoBot();
  const installed = await installEchoBot(portal, bot);
  botId = installed.botId;
  token = installed.install.auth.access_token;
  rest = `${portal.url}/rest/`;
  anna = await webhookFor(portal, 2);
  socket = await listen(socketUrl(anna));
  await hello(socket);
});

after(async () => {
  await socket?.close();
  await bot?.stop();
  await portal?.close();
});

const heard = (type: string, messageId: number) =>
  waitFor(`${type} push of ${messageId}`, async () => socket.pushes.find((p) => p.type === type && p.messageId === messageId), 10_000);

test('imbot.message.add, imbot.message.like, im.message.like and imbot.message.delete are pushed once committed', async () => {
  const id = expectOk(await restForm(rest, 'imbot.message.add', { auth: token, BOT_ID: botId, DIALOG_ID: 2, MESSAGE: 'from the bot' }));
  assert.equal((await heard('message.add', id)).authorId, botId);

  expectOk(await restForm(rest, 'imbot.message.like', { auth: token, BOT_ID: botId, MESSAGE_ID: id }));
  await heard('message.like', id);

  socket.pushes.length = 0;
  expectOk(await restForm(anna, 'im.message.like', { MESSAGE_ID: id }));
  await heard('message.like', id);

  expectOk(await restForm(rest, 'imbot.message.delete', { auth: token, BOT_ID: botId, MESSAGE_ID: id, COMPLETE: 'Y' }));
  await heard('message.delete', id);
});
