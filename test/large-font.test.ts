/**
 * PARAMS.LARGE_FONT = 'Y' marks a message of one to three emoji and nothing else, by Bitrix24's rule
 * (characters outside the Basic Multilingual Plane, white space around them), on posting and after
 * every edit; a deleted message has none. Through real HTTP: im.message.add, im.message.update,
 * im.dialog.messages.get.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restJson, testPortal } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { isOnlyEmoji } from '../src/wire/only-emoji.ts';

const IVAN = 3;
let portal: Awaited<ReturnType<typeof testPortal>>;
let anna: string;

before(async () => {
  portal = await testPortal();
  anna = await webhookFor(portal, 2, 'im');
});
after(async () => {
  await portal?.close();
});

const call = async (method: string, params: Record<string, unknown>) => expectOk(await restJson(anna, method, params));
const paramsOf = async (id: number) => (await call('im.dialog.messages.get', { DIALOG_ID: IVAN, LIMIT: 50 })).messages.find((m: any) => m.id === id).params;

test('the rule, case by case', () => {
  const large = ['😀', ' 😀😂 \n', '😀😀😀', '🇷🇺', '👍🏽'];
  const usual = ['', '   ', 'ok', '😀 ok', '😀😀😀😀', '❤', '❤️', '👨‍👩‍👧', '😀\u00a0', `${'😀'.repeat(40)}`];
  assert.deepEqual(large.filter((t) => !isOnlyEmoji(t)), []);
  assert.deepEqual(usual.filter(isOnlyEmoji), []);
});

test('posted and edited: LARGE_FONT follows the text; a deleted message has none', async () => {
  const big = await call('im.message.add', { DIALOG_ID: IVAN, MESSAGE: '🎉🎉' });
  assert.equal((await paramsOf(big)).LARGE_FONT, 'Y');
  const words = await call('im.message.add', { DIALOG_ID: IVAN, MESSAGE: '🎉 shipped' });
  assert.equal((await paramsOf(words)).LARGE_FONT, undefined);
  await call('im.message.update', { MESSAGE_ID: words, MESSAGE: '👍' });
  assert.equal((await paramsOf(words)).LARGE_FONT, 'Y');
  await call('im.message.update', { MESSAGE_ID: big, MESSAGE: 'party over' });
  assert.equal((await paramsOf(big)).LARGE_FONT, undefined);
  await call('im.message.delete', { MESSAGE_ID: words });
  assert.equal((await paramsOf(words)).LARGE_FONT, undefined);
});
