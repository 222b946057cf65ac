/**
 * Mentions over real HTTP on SQLite and PostgreSQL: a [USER=id] mention in a group or open chat files
 * a notification for the person named (im.notify.get in Bitrix24's shape: module `im`, event
 * `mention`, tag IM|MENTION|<chat>) and counts in TYPE.NOTIFY — from a person's im.message.add and
 * from a bot's imbot.message.add alike, muted chat or not; one per chat (a newer replaces it); read
 * when the dialog is read past it or with im.dialog.read.all. No notification for the author, a bot,
 * a private dialog, or someone outside a closed chat; [USER=all] tells every member. System lines carry their kind for the UI
 * (PARAMS.COMPONENT_ID / COMPONENT_PARAMS) beside their English text.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { echoBot, restForm, restJson, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';
import { MENTION_ALL_MAX_MEMBERS, withEveryone } from '../src/domain/mentions.ts';

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`mention notifications on ${dialect}`, () => {
  let portal: TestPortal;
  let bot: Child;
  let skip: string | undefined;
  let rest: string;
  let token: string;
  let botId: number;
  /** Webhooks by user id: Anna 2, Ivan 3, Maria 4, John 5. */
  const hooks: Record<number, string> = {};
  let team = 0;

  const as = async (user: number, method: string, params: Record<string, unknown> = {}) => expectOk(await restJson(hooks[user], method, params));
  const mentionsOf = async (user: number) =>
    ((await as(user, 'im.notify.get', {})).notifications as any[]).filter((n) => n.notify_event === 'mention');
  const notifyCount = async (user: number) => (await as(user, 'im.counters.get')).TYPE.NOTIFY as number;
  const say = (user: number, dialog: string, text: string) => as(user, 'im.message.add', { DIALOG_ID: dialog, MESSAGE: text }) as Promise<number>;

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    rest = `${portal.url}/rest/`;
    bot = await echoBot();
    const installed = await installEchoBot(portal, bot);
    token = installed.install.auth.access_token;
    botId = installed.botId;
    for (const id of [2, 3, 4, 5]) hooks[id] = await webhookFor(portal, id, 'im');
    team = await as(2, 'im.chat.add', { TITLE: 'Release team', USERS: [3, 4, botId] });
  });

  after(async () => {
    await bot?.stop();
    await portal?.close();
  });

  test('a mention in a group chat notifies the person named, in Bitrix24\'s shape, and counts', async (t) => {
    if (skip) return t.skip(skip);
    assert.equal(await notifyCount(3), 0);
    const id = await say(2, `chat${team}`, '[USER=3]Иван Сидоров[/USER], the build is green');
    const [n] = await mentionsOf(3);
    assert.ok(n, 'Ivan has a mention notification');
    assert.equal(n.author_id, 2);
    assert.equal(n.notify_module, 'im');
    assert.equal(n.notify_tag, `IM|MENTION|${team}`);
    assert.equal(n.notify_sub_tag, `IM_MESS_${team}_3`);
    assert.equal(n.setting_name, 'im|mention');
    assert.equal(n.notify_type, 2, 'from a person');
    assert.equal(n.notify_read, 'N');
    assert.equal(n.text, `Mentioned you in the chat "[CHAT=${team}]Release team[/CHAT]"`);
    assert.equal(await notifyCount(3), 1);
    // Nobody else: not the author, not Maria who was not named.
    assert.deepEqual(await mentionsOf(2), []);
    assert.deepEqual(await mentionsOf(4), []);
    const stored = await portal.portal.db.selectFrom('notifications').selectAll().where('user_id', '=', 3).executeTakeFirstOrThrow();
    assert.equal(Number(stored.message_id), id);
    assert.equal(Number(stored.chat_id), team);
  });

  test('a newer mention in the same chat replaces the older; reading past it reads it', async (t) => {
    if (skip) return t.skip(skip);
    const second = await say(4, `chat${team}`, 'and [USER=3]Ivan[/USER], please check the notes');
    const list = await mentionsOf(3);
    assert.equal(list.length, 1, 'one mention notification per chat');
    assert.equal(list[0].author_id, 4, 'the newest one');
    assert.equal(await notifyCount(3), 1);
    // Reading up to an earlier message leaves it; reading up to the mention reads it.
    await as(3, 'im.dialog.read', { DIALOG_ID: `chat${team}`, MESSAGE_ID: second - 1 });
    assert.equal((await mentionsOf(3))[0].notify_read, 'N');
    await as(3, 'im.dialog.read', { DIALOG_ID: `chat${team}`, MESSAGE_ID: second });
    assert.equal((await mentionsOf(3))[0].notify_read, 'Y');
    assert.equal(await notifyCount(3), 0);
  });

  test('a mention breaks through a muted chat: the notification and its count, while the chat counts apart', async (t) => {
    if (skip) return t.skip(skip);
    await as(4, 'im.chat.mute', { CHAT_ID: team, MUTE: 'Y' });
    const before = (await as(4, 'im.counters.get')).TYPE;
    await say(2, `chat${team}`, 'a question for [USER=4]Maria Garcia[/USER]');
    const [n] = await mentionsOf(4);
    assert.equal(n?.notify_tag, `IM|MENTION|${team}`);
    const after = (await as(4, 'im.counters.get'));
    assert.equal(after.TYPE.NOTIFY, before.NOTIFY + 1);
    assert.equal(after.TYPE.CHAT, before.CHAT, 'the muted chat stays out of the message totals');
    assert.ok(after.CHAT_MUTED[team] > 0, 'counted apart as muted');
  });

  test('a bot\'s mention notifies too; bots and the author are never notified', async (t) => {
    if (skip) return t.skip(skip);
    await as(3, 'im.notify.read.all');
    expectOk(await restForm(rest, 'imbot.message.add', { auth: token, BOT_ID: botId, DIALOG_ID: `chat${team}`, MESSAGE: 'Deploy done, [USER=3]Ivan[/USER]' }));
    const [n] = await mentionsOf(3);
    assert.equal(n.author_id, botId, 'authored by the bot');
    assert.equal(n.notify_read, 'N');
    await say(3, `chat${team}`, `[USER=${botId}]Echo Bot[/USER] ping, and me: [USER=3]Ivan[/USER]`);
    const forBot = await portal.portal.db.selectFrom('notifications').select('id').where('user_id', '=', botId).execute();
    assert.deepEqual(forBot, [], 'the bot hears the message as an event, not a notification');
    assert.equal((await mentionsOf(3))[0].author_id, botId, 'mentioning oneself files nothing');
  });

  test('no notification in a private dialog or for someone outside a closed chat; an open chat reaches outsiders', async (t) => {
    if (skip) return t.skip(skip);
    await say(2, '3', 'hi [USER=3]Ivan[/USER]');
    await say(2, `chat${team}`, 'John is not here: [USER=5]John Smith[/USER]');
    assert.deepEqual(await mentionsOf(5), []);
    const open = await as(2, 'im.chat.add', { TYPE: 'OPEN', TITLE: 'Everyone', USERS: [3] });
    await say(2, `chat${open}`, 'welcome [USER=5]John Smith[/USER]');
    const [n] = await mentionsOf(5);
    assert.equal(n?.notify_tag, `IM|MENTION|${open}`, 'an open chat is readable by all, so outsiders are told');
    // The private dialog's mention filed nothing: Ivan's only mention stays the bot's in the team chat.
    assert.deepEqual((await mentionsOf(3)).map((x) => x.notify_tag), [`IM|MENTION|${team}`]);
  });

  test('im.dialog.read.all reads the mention notifications; the recipient may delete one', async (t) => {
    if (skip) return t.skip(skip);
    assert.ok(await notifyCount(5) > 0);
    await as(5, 'im.dialog.read.all');
    assert.equal(await notifyCount(5), 0);
    const [n] = await mentionsOf(3);
    assert.equal(await as(3, 'im.notify.delete', { ID: n.id }), true);
    assert.deepEqual(await mentionsOf(3), []);
  });

  test('[USER=all] notifies every member of the chat but the author and its bots; a bigger chat than the bound, nobody', async (t) => {
    if (skip) return t.skip(skip);
    const crew = await as(2, 'im.chat.add', { TITLE: 'Crew', USERS: [3, 4, botId] });
    const before5 = (await mentionsOf(5)).length;
    await say(2, `chat${crew}`, '[USER=all]Everyone[/USER], standup in five');
    for (const user of [3, 4]) {
      const n = (await mentionsOf(user)).find((x) => x.notify_tag === `IM|MENTION|${crew}`);
      assert.ok(n, `member ${user} is told`);
      assert.equal(n.text, `Mentioned you in the chat "[CHAT=${crew}]Crew[/CHAT]"`);
    }
    assert.equal((await mentionsOf(2)).filter((x) => x.notify_tag === `IM|MENTION|${crew}`).length, 0, 'not the author');
    assert.equal((await mentionsOf(5)).length, before5, 'not John, who is not in the chat');
    assert.equal(await portal.portal.db.selectFrom('notifications').select('id').where('user_id', '=', botId).executeTakeFirst(), undefined, 'not the bot');
    // The bound: everyone up to MENTION_ALL_MAX_MEMBERS members, only those named beyond it.
    const many = Array.from({ length: MENTION_ALL_MAX_MEMBERS + 1 }, (_, i) => i + 100);
    assert.deepEqual(withEveryone([7], many.slice(0, MENTION_ALL_MAX_MEMBERS)).length, MENTION_ALL_MAX_MEMBERS + 1);
    assert.deepEqual(withEveryone([7], many), [7]);
  });

  test('system lines keep their English text and carry their kind and facts for the UI', async (t) => {
    if (skip) return t.skip(skip);
    const chat = await as(2, 'im.chat.add', { TITLE: 'Design', USERS: [3] });
    await as(2, 'im.chat.user.add', { CHAT_ID: chat, USERS: [4] });
    await as(2, 'im.chat.updateTitle', { CHAT_ID: chat, TITLE: 'Design 2' });
    const page = await as(2, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` });
    const system = (page.messages as any[]).filter((m) => m.author_id === 0).sort((a, b) => a.id - b.id);
    assert.deepEqual(system.map((m) => m.text), [
      '[USER=2]Анна Петрова[/USER] created chat "Design"',
      '[USER=2]Анна Петрова[/USER] invited [USER=4]Maria Garcia[/USER] to the chat',
      '[USER=2]Анна Петрова[/USER] changed the chat title to "Design 2"',
    ]);
    assert.deepEqual(system.map((m) => [m.params.COMPONENT_ID, m.params.COMPONENT_PARAMS]), [
      ['chat.created', { user: { id: 2, name: 'Анна Петрова' }, title: 'Design' }],
      ['chat.invited', { user: { id: 2, name: 'Анна Петрова' }, users: [{ id: 4, name: 'Maria Garcia' }] }],
      ['chat.renamed', { user: { id: 2, name: 'Анна Петрова' }, title: 'Design 2' }],
    ]);
    // An ordinary message has neither key.
    const id = await say(2, `chat${chat}`, 'plain');
    const plain = (await as(2, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}`, FIRST_ID: id - 1, LIMIT: 1 })).messages[0];
    assert.equal(plain.params.COMPONENT_ID, undefined);
  });
});
}
