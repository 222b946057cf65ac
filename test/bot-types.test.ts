/**
 * Bot types: a supervisor (S) hears every message in its chats; a "human" (H) bot's answer shows
 * only after its delay; an open-line bot (O) is marked OPENLINE=Y.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, testPortal, waitFor } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';

test('a type-S bot receives every message of its group chats, mentioned or not', async () => {
  const portal = await testPortal();
  const bot = await echoBot(0, 'S');
  try {
    const { botId } = await installEchoBot(portal, bot);
    const anna = await webhookFor(portal, 2);
    const chat = (await restForm(anna, 'im.chat.add', { TITLE: 'Watched', USERS: [3, botId] })).body.result;
    await restForm(anna, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'nobody mentioned' });
    const ev = await waitFor('supervised message', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE === 'nobody mentioned'));
    assert.equal(ev.data.PARAMS.TO_USER_ID, '0', 'addressed to no one in particular');
    assert.equal(ev.data.PARAMS.DIALOG_ID, `chat${chat}`);
    // TYPE=O implies OPENLINE=Y.
    const admin = await webhookFor(portal, 1, 'imbot');
    const o = await restForm(admin, 'imbot.register', { CLIENT_ID: 'lines', CODE: 'lines', TYPE: 'O', EVENT_HANDLER: bot.url, PROPERTIES: { NAME: 'Lines' } });
    assert.equal((await restForm(admin, 'imbot.bot.list')).body.result[o.body.result].OPENLINE, 'Y');
  } finally {
    await bot.stop();
    await portal.close();
  }
});

test('a type-H bot\'s answer appears only after its delay', async () => {
  const portal = await testPortal({ humanDelayMinMs: 2000, humanDelayMaxMs: 2000 });
  const bot = await echoBot(0, 'H');
  try {
    const { botId } = await installEchoBot(portal, bot);
    const anna = await webhookFor(portal, 2);
    await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'are you human?' });
    const ev = await waitFor('the bot answered', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEADD' && e.reply));
    const replyId = ev.reply.result;
    assert.equal(typeof replyId, 'number');
    const visible = async () => (await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId })).body.result.messages.some((m: any) => m.id === replyId);
    assert.equal(await visible(), false, 'not shown right after the bot sent it');
    await waitFor('the delayed answer', visible, 10_000);
  } finally {
    await bot.stop();
    await portal.close();
  }
});
