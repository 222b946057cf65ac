/**
 * A fetch-mode Chatbots 2.0 bot polling imbot.v2.Event.get (test/fixtures/v2-fetch-bot.mjs, its own
 * process) while the portal, also its own process, is killed with SIGKILL in the middle of a stream
 * of messages and started again on the same data: every message whose im.message.add was answered
 * reaches the bot exactly once, none arrives twice (no event id is handed out twice, so no
 * acknowledgement is lost or repeated), in the order written, and the bot goes on answering.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { freePort, portalProcess, restJson, ROOT, spawnListening, tempDir, waitFor, type Child } from './helpers/portal.ts';
import { operatorPortal, webhookFor } from './helpers/suite.ts';

const ADMIN = 1;
const ANNA = 2;

test('kill -9 of the portal while a fetch-mode bot polls: no event lost, none handed out twice', { timeout: 120_000 }, async () => {
  const dataDir = tempDir();
  const port = await freePort();
  let portal = await portalProcess(dataDir, port);
  let bot: Child | undefined;
  try {
    const state = await operatorPortal({ dataDir });
    const hook = await webhookFor(state, ADMIN, 'imbot,im');
    const anna = await webhookFor(state, ANNA, 'im');
    await state.close();
    bot = await spawnListening(process.execPath, [path.join(ROOT, 'test/fixtures/v2-fetch-bot.mjs'), hook, 'kill_tok', 'survivor'], { POLL_MS: '10' }, /registered (\d+)/);
    const botId = bot.port;

    // Sent one after another; a send cut off by the kill has an unknown outcome and is not retried.
    const answered: { id: number; text: string }[] = [];
    const unknown: string[] = [];
    const send = async (text: string) => {
      try {
        const r = await restJson(anna, 'im.message.add', { DIALOG_ID: String(botId), MESSAGE: text });
        if (r.status === 200) answered.push({ id: r.body.result, text });
        else unknown.push(text);
      } catch {
        unknown.push(text);
      }
    };
    for (let i = 1; i <= 25; i++) await send(`m${i}`);
    // Killed while the bot is mid-poll (it asks every 10 ms) and writes may be in flight.
    const inFlight = Promise.all([send('m26'), send('m27')]);
    portal.proc.kill('SIGKILL');
    await portal.stop();
    await inFlight;
    portal = await portalProcess(dataDir, port);
    for (let i = 28; i <= 50; i++) await send(`m${i}`);

    const printed = () => [...bot!.output().matchAll(/^event (\S+) (.*)$/gm)].map((m) => ({ type: m[1], ...JSON.parse(m[2]) }));
    const last = answered.at(-1)!;
    await waitFor('the last message at the bot', async () => printed().some((e) => e.type === 'ONIMBOTV2MESSAGEADD' && e.data.message.id === last.id), 30_000);
    const events = printed();
    const ids = events.map((e) => e.eventId);
    assert.equal(new Set(ids).size, ids.length, 'no event handed out twice');
    assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]), 'in id order');
    const adds = events.filter((e) => e.type === 'ONIMBOTV2MESSAGEADD').map((e) => ({ id: e.data.message.id, text: e.data.message.text }));
    // Every answered message once, in the order written; a cut-off one at most once.
    assert.deepEqual(adds.filter((a) => !unknown.includes(a.text)), answered);
    for (const text of unknown) assert.ok(adds.filter((a) => a.text === text).length <= 1, text);
    assert.ok(answered.length >= 48, `answered ${answered.length}`);
    // The bot saw the portal go away and came back to it, and answers what came after.
    assert.match(bot.output(), /^error NETWORK/m);
    await waitFor('the answer to the last message', async () => {
      const r = await restJson(anna, 'im.dialog.messages.get', { DIALOG_ID: String(botId), LIMIT: 5 });
      return r.body.result?.messages.some((m: any) => m.text === `fetched: ${last.text}`);
    }, 30_000);
  } finally {
    await bot?.stop();
    await portal.stop();
  }
});
