/**
 * Full-text message search over real HTTP with users' webhooks, on SQLite and PostgreSQL:
 * im.dialog.messages.search (one chat, as the REST docs describe it) and parley.message.search (every
 * dialog the caller may read, with chat and author filters and highlighted snippets). Russian and
 * English word forms find each other; a chat the caller cannot read is never searched, whatever the
 * filters; edits and deletions are followed at once; hostile search strings answer cleanly.
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, restJson } from './helpers/portal.ts';
import { webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

const [ADMIN, ANNA, IVAN, MARIA, JOHN] = [1, 2, 3, 4, 5];

for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`message search on ${dialect}`, () => {
  let portal: TestPortal;
  const hook: Record<number, string> = {};
  let skip: string | undefined;
  /** Anna's chat with Ivan; Maria's closed chat with John; Maria's open chat; Ivan and John's private dialog. */
  let team: number;
  let closed: number;
  let open: number;
  const ids: Record<string, number> = {};

  const call = (as: number, method: string, params: Record<string, unknown> = {}) => restForm(hook[as], method, params);
  const say = async (as: number, dialog: string | number, text: string) => Number(expectOk(await call(as, 'im.message.add', { DIALOG_ID: dialog, MESSAGE: text })));
  /** The ids parley.message.search finds for `as`. */
  const found = async (as: number, params: Record<string, unknown>) => expectOk(await call(as, 'parley.message.search', params)).messages.map((m: any) => m.id);
  /** The ids im.dialog.messages.search finds in `chat` for `as`. */
  const inChat = async (as: number, chat: number, params: Record<string, unknown> = {}) =>
    expectOk(await call(as, 'im.dialog.messages.search', { CHAT_ID: chat, ...params })).messages.map((m: any) => m.id);

  before(async () => {
    const suite = await portalSuite(dialect);
    if ('skip' in suite) return void (skip = suite.skip);
    portal = suite;
    for (const id of [ADMIN, ANNA, IVAN, MARIA, JOHN]) hook[id] = await webhookFor(portal, id, 'im,imbot');
    team = expectOk(await call(ANNA, 'im.chat.add', { TITLE: 'Команда', USERS: [IVAN] }));
    closed = expectOk(await call(MARIA, 'im.chat.add', { TITLE: 'Closed room', USERS: [JOHN] }));
    open = expectOk(await call(MARIA, 'im.chat.add', { TITLE: 'Open room', TYPE: 'OPEN', USERS: [JOHN] }));
    ids.ru = await say(ANNA, `chat${team}`, 'Отправила [b]сообщение[/b] про отпуск коллегам');
    ids.en = await say(IVAN, `chat${team}`, 'We run the deployment every night');
    ids.tagged = await say(ANNA, `chat${team}`, '[COLOR=#ff0000]crimson[/COLOR] banner for [USER=3]Иван Сидоров[/USER]');
    ids.html = await say(IVAN, `chat${team}`, '<script>alert(1)</script> & "payload" marker');
    ids.secret = await say(MARIA, `chat${closed}`, 'classified сообщение about the merger');
    ids.openMsg = await say(MARIA, `chat${open}`, 'roadmap for the open quarter');
    ids.privateOthers = await say(IVAN, JOHN, 'private roadmap between Ivan and John');
    ids.mine = await say(ANNA, IVAN, 'личное сообщение Ивану про roadmap');
  });
  after(async () => {
    await portal?.close();
  });

  test('word forms: Russian and English stems, prefixes, BB-code tags are no words', async (t) => {
    if (skip) return t.skip(skip);
    // "сообщения" finds "сообщение": the forms of one word share its stem; the last word may be unfinished.
    for (const form of ['сообщения', 'сообщением', 'СООБЩЕНИЙ', 'сообщ']) {
      assert.deepEqual(await found(IVAN, { FIND: form, DIALOG_ID: `chat${team}` }), [ids.ru], form);
    }
    assert.deepEqual(await inChat(IVAN, team, { SEARCH_MESSAGE: 'сообщениями' }), [ids.ru]);
    assert.deepEqual(await found(IVAN, { FIND: 'отпуска коллеги' }), [ids.ru]);
    for (const form of ['running', 'runs', 'run', 'deployments', 'nights']) {
      assert.deepEqual(await found(ANNA, { FIND: form }), [ids.en], form);
    }
    assert.deepEqual(await inChat(ANNA, team, { SEARCH_MESSAGE: 'Running deployment' }), [ids.en]);
    // Words, not tags: "color" and "user" are in the stored text only as BB-code.
    assert.deepEqual(await found(ANNA, { FIND: 'crimson' }), [ids.tagged]);
    assert.deepEqual(await found(ANNA, { FIND: 'color', DIALOG_ID: `chat${team}` }), []);
    assert.deepEqual(await found(ANNA, { FIND: 'Ивана', DIALOG_ID: `chat${team}` }), [ids.tagged]);
    // Every word must match.
    assert.deepEqual(await found(ANNA, { FIND: 'crimson nowhere' }), []);
  });

  test('parley.message.search: results carry the chat, the author, the date and a snippet escaped before it is marked', async (t) => {
    if (skip) return t.skip(skip);
    const page = expectOk(await call(ANNA, 'parley.message.search', { FIND: 'marker' }));
    assert.equal(page.messages.length, 1);
    const [hit] = page.messages;
    assert.equal(hit.id, ids.html);
    assert.equal(hit.chat_id, team);
    assert.equal(hit.dialog_id, `chat${team}`);
    assert.equal(hit.author_id, IVAN);
    assert.match(hit.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    assert.equal(hit.snippet, '<script>alert(1)</script> & "payload" marker');
    assert.deepEqual(hit.snippet_marks, [[hit.snippet.length - 6, hit.snippet.length]]);
    assert.equal(hit.snippet_html, '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;payload&quot; <mark>marker</mark>');
    assert.deepEqual(page.chats, [{ id: team, dialog_id: `chat${team}`, type: 'chat', title: 'Команда', avatar: '', color: page.chats[0].color }]);
    assert.deepEqual(page.users.map((u: any) => [u.id, u.name]), [[IVAN, 'Иван Сидоров']]);
    assert.equal(page.more, false);
    // A private dialog is named by the other person, as the caller sees it.
    const mine = expectOk(await call(IVAN, 'parley.message.search', { FIND: 'личные сообщения' }));
    assert.deepEqual(mine.messages.map((m: any) => [m.id, m.dialog_id]), [[ids.mine, String(ANNA)]]);
    assert.equal(mine.chats[0].title, 'Анна Петрова');
    assert.match(mine.messages[0].snippet_html, /^<mark>личное<\/mark> <mark>сообщение<\/mark> Ивану/);
  });

  test('a long message: the snippet is a window around the first match', async (t) => {
    if (skip) return t.skip(skip);
    const long = `${'начало '.repeat(80)}ключевое слово посередине ${'конец '.repeat(80)}`;
    const id = await say(ANNA, `chat${team}`, long);
    const [hit] = expectOk(await call(ANNA, 'parley.message.search', { FIND: 'ключевого' })).messages;
    assert.equal(hit.id, id);
    assert.ok(hit.snippet.length <= 162, hit.snippet);
    assert.ok(hit.snippet.startsWith('…') && hit.snippet.endsWith('…'), hit.snippet);
    const [start, end] = hit.snippet_marks[0];
    assert.equal(hit.snippet.slice(start, end), 'ключевое');
  });

  test('access: a chat the caller cannot read is never searched, also through the filters', async (t) => {
    if (skip) return t.skip(skip);
    // Anna is not in Maria's closed chat nor in Ivan and John's dialog; the open chat she may read.
    assert.deepEqual(await found(ANNA, { FIND: 'classified' }), []);
    assert.deepEqual(await found(ANNA, { FIND: 'classified', AUTHOR_ID: MARIA }), []);
    assert.deepEqual((await found(ANNA, { FIND: 'roadmap' })).sort(), [ids.mine, ids.openMsg].sort());
    assert.deepEqual(await found(ANNA, { FIND: 'roadmap', AUTHOR_ID: MARIA }), [ids.openMsg]);
    assert.deepEqual(await found(ANNA, { FIND: 'roadmap', DIALOG_ID: `chat${open}` }), [ids.openMsg]);
    expectError(await call(ANNA, 'parley.message.search', { FIND: 'classified', DIALOG_ID: `chat${closed}` }), 403, 'ACCESS_ERROR');
    expectError(await call(ANNA, 'im.dialog.messages.search', { CHAT_ID: closed, SEARCH_MESSAGE: 'classified' }), 403, 'ACCESS_ERROR');
    // Ivan and John's dialog, named by its chat id, is no dialog of Anna's; named by John's id it is hers (and empty).
    const privateChat = expectOk(await call(IVAN, 'im.dialog.get', { DIALOG_ID: JOHN })).id;
    expectError(await call(ANNA, 'im.dialog.messages.search', { CHAT_ID: privateChat, SEARCH_MESSAGE: 'roadmap' }), 403, 'ACCESS_ERROR');
    expectError(await call(ANNA, 'parley.message.search', { FIND: 'roadmap', DIALOG_ID: `chat${privateChat}` }), 403, 'ACCESS_ERROR');
    assert.deepEqual(await found(ANNA, { FIND: 'roadmap', DIALOG_ID: JOHN }), []);
    assert.deepEqual(await found(IVAN, { FIND: 'roadmap', DIALOG_ID: JOHN }), [ids.privateOthers]);
    // The members themselves find it; in the open chat, so does anyone.
    assert.deepEqual(await found(JOHN, { FIND: 'classified' }), [ids.secret]);
    assert.deepEqual(await inChat(ANNA, open, { SEARCH_MESSAGE: 'roadmap' }), [ids.openMsg]);
  });

  test('access: history hidden from a newcomer, and a chat one has left', async (t) => {
    if (skip) return t.skip(skip);
    const chat = expectOk(await call(ANNA, 'im.chat.add', { TITLE: 'History', USERS: [IVAN] }));
    const before = await say(ANNA, `chat${chat}`, 'earlier zeppelin plans');
    expectOk(await call(ANNA, 'im.chat.user.add', { CHAT_ID: chat, USERS: [JOHN], HIDE_HISTORY: 'Y' }));
    const later = await say(ANNA, `chat${chat}`, 'later zeppelin plans');
    assert.deepEqual(await found(JOHN, { FIND: 'zeppelin' }), [later]);
    assert.deepEqual(await inChat(JOHN, chat, { SEARCH_MESSAGE: 'zeppelin' }), [later]);
    const history = await inChat(JOHN, chat);
    assert.ok(history.includes(later) && !history.includes(before), JSON.stringify(history));
    assert.deepEqual(await found(IVAN, { FIND: 'zeppelin' }), [later, before]);
    expectOk(await call(IVAN, 'im.chat.leave', { CHAT_ID: chat }));
    assert.deepEqual(await found(IVAN, { FIND: 'zeppelin' }), []);
    expectError(await call(IVAN, 'im.dialog.messages.search', { CHAT_ID: chat, SEARCH_MESSAGE: 'zeppelin' }), 403, 'ACCESS_ERROR');
  });

  test('the index follows edits and deletions at once', async (t) => {
    if (skip) return t.skip(skip);
    const id = await say(ANNA, `chat${team}`, 'ананас на обед');
    assert.deepEqual(await found(IVAN, { FIND: 'ананасы' }), [id]);
    expectOk(await call(ANNA, 'im.message.update', { MESSAGE_ID: id, MESSAGE: 'манго на обед' }));
    assert.deepEqual(await found(IVAN, { FIND: 'ананасы' }), []);
    assert.deepEqual(await found(IVAN, { FIND: 'манго' }), [id]);
    assert.deepEqual(await inChat(IVAN, team, { SEARCH_MESSAGE: 'манго' }), [id]);
    expectOk(await call(ANNA, 'im.message.delete', { MESSAGE_ID: id }));
    assert.deepEqual(await found(IVAN, { FIND: 'манго' }), []);
    assert.deepEqual(await inChat(IVAN, team, { SEARCH_MESSAGE: 'манго' }), []);
    // Nor is a deleted message listed when no text is searched.
    assert.ok(!(await inChat(IVAN, team)).includes(id));
    // A bot's message deleted without a trace (COMPLETE=Y) leaves no index row either.
    const bot = Number(expectOk(await call(ADMIN, 'imbot.register', {
      CODE: 'finder', TYPE: 'B', CLIENT_ID: 'finder', EVENT_MESSAGE_ADD: 'http://127.0.0.1:9/h', EVENT_WELCOME_MESSAGE: 'http://127.0.0.1:9/h',
      EVENT_BOT_DELETE: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Finder' },
    })));
    expectOk(await call(ANNA, 'im.chat.user.add', { CHAT_ID: team, USERS: [bot] }));
    const botMessage = Number(expectOk(await call(ADMIN, 'imbot.message.add', { CLIENT_ID: 'finder', BOT_ID: bot, DIALOG_ID: `chat${team}`, MESSAGE: 'quarterly платёжки' })));
    assert.deepEqual(await found(ANNA, { FIND: 'платежка', AUTHOR_ID: bot }), [botMessage]);
    expectOk(await call(ADMIN, 'imbot.message.delete', { CLIENT_ID: 'finder', BOT_ID: bot, MESSAGE_ID: botMessage, COMPLETE: 'Y' }));
    assert.deepEqual(await found(ANNA, { FIND: 'quarterly' }), []);
    const left = await portal.portal.db.selectFrom('message_terms').select('message_id').where('message_id', 'in', [id, botMessage]).execute();
    assert.deepEqual(left, []);
  });

  test('hostile search strings answer cleanly: operators, quotes, 10,000 characters, any Unicode', async (t) => {
    if (skip) return t.skip(skip);
    const hostile = [
      '"unbalanced', 'crimson"', '"" OR ""', 'crimson OR banner', 'NOT crimson', 'crimson AND NOT x', 'NEAR(crimson banner)', 'crimson*', '*crimson',
      '^crimson', 'terms:crimson', '{terms} : crimson', "crimson' & !x:*", "')) OR 1=1; --", '\\"\\\\', '%_%', '(((', 'a'.repeat(10_000),
      `crimson ${'б'.repeat(9_990)}`, '🙂🙂🙂', 'ＣＲＩＭＳＯＮ', 'c\u0000rimson', '\u200b\u200b\u200b', '‮crimson', 'ﬁnance', 'क्षत्रिय', '中文字', 'مرحبا بالعالم', '𞤀𞤁𞤂 crimson',
    ];
    for (const s of hostile) {
      for (const [method, params] of [['parley.message.search', { FIND: s }], ['im.dialog.messages.search', { CHAT_ID: team, SEARCH_MESSAGE: s }]] as const) {
        for (const send of [restForm, restJson]) {
          const res = await send(hook[ANNA], method, params);
          assert.equal(res.status, 200, `${method} ${JSON.stringify(s.slice(0, 40))}: ${JSON.stringify(res.body).slice(0, 300)}`);
          assert.ok(Array.isArray(res.body.result.messages), `${method} ${JSON.stringify(s.slice(0, 40))}`);
        }
      }
    }
    // Operators are words like any other (no match here), quotes are not syntax, full-width letters are
    // letters, and what lies past the query's first 256 characters is not read.
    assert.deepEqual(await found(ANNA, { FIND: 'crimson OR nothing' }), []);
    assert.deepEqual(await found(ANNA, { FIND: '"crimson"' }), [ids.tagged]);
    assert.deepEqual(await found(ANNA, { FIND: 'ＣＲＩＭＳＯＮ' }), [ids.tagged]);
    assert.deepEqual(await found(ANNA, { FIND: `crimson ${' '.repeat(300)}nothing` }), [ids.tagged]);
  });

  test('im.dialog.messages.search: order, paging, limit, dates, and no text below three characters', async (t) => {
    if (skip) return t.skip(skip);
    const chat = expectOk(await call(ANNA, 'im.chat.add', { TITLE: 'Paging', USERS: [IVAN] }));
    const posted: number[] = [];
    for (let i = 0; i < 5; i++) posted.push(await say(i % 2 ? IVAN : ANNA, `chat${chat}`, `invoice number ${i}`));
    const all = [...posted].reverse();
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoices' }), all);
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoices', ORDER: { ID: 'ASC' } }), posted);
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoices', LIMIT: 2 }), all.slice(0, 2));
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoices', LIMIT: 2, LAST_ID: all[1] }), all.slice(2, 4));
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoices', ORDER: { ID: 'ASC' }, LAST_ID: posted[2] }), posted.slice(3));
    // Two characters search no text: every message of the chat (with its "created chat" line).
    const short = await inChat(ANNA, chat, { SEARCH_MESSAGE: 'in' });
    assert.deepEqual(short.slice(0, 5), all);
    assert.equal(short.length, 6);
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoice', DATE_FROM: iso(now - 3_600_000), DATE_TO: iso(now + 3_600_000) }), all);
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoice', DATE_FROM: iso(now + 3_600_000) }), []);
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoice', DATE_TO: iso(now - 3_600_000) }), []);
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoice', DATE: iso(now - 3_600_000) }), all);
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoice', DATE: iso(now - 2 * 86_400_000) }), []);
    // An unreadable date filters nothing.
    assert.deepEqual(await inChat(ANNA, chat, { SEARCH_MESSAGE: 'invoice', DATE_FROM: 'yesterday' }), all);
  });

  test('im.dialog.messages.search: the documented answer, with authors, reactions and read state', async (t) => {
    if (skip) return t.skip(skip);
    const chat = expectOk(await call(ANNA, 'im.chat.add', { TITLE: 'Shape', USERS: [IVAN] }));
    const first = await say(ANNA, `chat${chat}`, 'budget draft');
    const reply = Number(expectOk(await call(IVAN, 'im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: 'budget approved', REPLY_ID: first })));
    expectOk(await call(ANNA, 'im.message.like', { MESSAGE_ID: reply }));
    const res = expectOk(await restJson(hook[ANNA], 'im.dialog.messages.search', { CHAT_ID: chat, SEARCH_MESSAGE: 'approve' }));
    assert.deepEqual(Object.keys(res), ['users', 'files', 'additionalMessages', 'copilot', 'stickers', 'reactions', 'tariffRestrictions', 'usersShort', 'messages']);
    const [m] = res.messages;
    assert.equal(m.id, reply);
    assert.equal(m.chatId, chat);
    assert.equal(m.chat_id, chat);
    assert.equal(m.authorId, IVAN);
    assert.equal(m.author_id, IVAN);
    assert.equal(m.text, 'budget approved');
    assert.equal(m.isSystem, false);
    assert.equal(m.params.REPLY_ID, first);
    // Anna has not read Ivan's answer (liking is no reading).
    assert.equal(m.unread, true);
    assert.equal(m.viewed, false);
    assert.deepEqual(res.additionalMessages.map((x: any) => x.id), [first]);
    assert.deepEqual(res.users.map((u: any) => [u.id, u.firstName, u.lastName]), [[IVAN, 'Иван', 'Сидоров'], [ANNA, 'Анна', 'Петрова']]);
    assert.deepEqual(res.reactions, [{ messageId: reply, reactionCounters: { like: 1 }, reactionUsers: { like: [ANNA] }, ownReactions: ['like'] }]);
    assert.deepEqual(res.usersShort.map((u: any) => [u.id, u.name]), [[ANNA, 'Анна Петрова']]);
    assert.deepEqual(res.tariffRestrictions, { isHistoryLimitExceeded: false });
    // A Chatbots 2.0 bot of the chat reacts with another code: the counters and users go by code.
    const bot = expectOk(await call(ADMIN, 'imbot.v2.Bot.register', { botToken: 'search_tok', fields: { code: 'search_react', eventMode: 'fetch', properties: { name: 'Reacts' } } })).bot.id;
    expectOk(await call(ANNA, 'im.chat.user.add', { CHAT_ID: chat, USERS: [bot] }));
    expectOk(await restJson(hook[ADMIN], 'imbot.v2.Chat.Message.Reaction.add', { botId: bot, botToken: 'search_tok', messageId: reply, reaction: 'fire' }));
    const coded = expectOk(await restJson(hook[ANNA], 'im.dialog.messages.search', { CHAT_ID: chat, SEARCH_MESSAGE: 'approve' }));
    assert.deepEqual(coded.reactions, [{ messageId: reply, reactionCounters: { like: 1, fire: 1 }, reactionUsers: { like: [ANNA], fire: [bot] }, ownReactions: ['like'] }]);
    expectOk(await call(ANNA, 'im.dialog.read', { DIALOG_ID: `chat${chat}` }));
    const [read] = expectOk(await call(ANNA, 'im.dialog.messages.search', { CHAT_ID: chat, SEARCH_MESSAGE: 'approve' })).messages;
    assert.equal(read.unread, false);
    assert.equal(read.viewed, true);
    const [own] = expectOk(await call(IVAN, 'im.dialog.messages.search', { CHAT_ID: chat, SEARCH_MESSAGE: 'approve' })).messages;
    assert.equal(own.viewedByOthers, true);
    assert.equal(own.viewedCount, 1);
  });

  test('the documented errors', async (t) => {
    if (skip) return t.skip(skip);
    const empty = await call(ANNA, 'im.dialog.messages.search', { SEARCH_MESSAGE: 'budget' });
    expectError(empty, 400, 'CHAT_ID_EMPTY');
    assert.equal(empty.body.error_description, "CHAT_ID can't be empty");
    expectError(await call(ANNA, 'im.dialog.messages.search', { CHAT_ID: 'abc' }), 400, 'CHAT_ID_EMPTY');
    const denied = await call(ANNA, 'im.dialog.messages.search', { CHAT_ID: closed });
    expectError(denied, 403, 'ACCESS_ERROR');
    assert.equal(denied.body.error_description, 'You do not have access to this chat');
    expectError(await call(ANNA, 'im.dialog.messages.search', { CHAT_ID: 99_999_999 }), 403, 'ACCESS_ERROR');
    expectError(await call(ANNA, 'im.dialog.messages.search', { CHAT_ID: team, LAST_ID: 'x' }), 400, 'LAST_ID_STRING');
    expectError(await call(ANNA, 'parley.message.search', { FIND: 'ab' }), 400, 'FIND_SHORT');
    expectError(await call(ANNA, 'parley.message.search', {}), 400, 'FIND_SHORT');
    expectError(await call(ANNA, 'parley.message.search', { FIND: 'roadmap', DIALOG_ID: 'chatx' }), 400, 'DIALOG_ID_EMPTY');
    expectError(await call(ANNA, 'parley.message.search', { FIND: 'roadmap', DIALOG_ID: 99_999 }), 400, 'USER_NOT_FOUND');
    expectError(await call(ANNA, 'parley.message.search', { FIND: 'roadmap', LAST_ID: 'x' }), 400, 'LAST_ID_STRING');
  });

  test('parley.message.search pages newest first with LAST_ID', async (t) => {
    if (skip) return t.skip(skip);
    const chat = expectOk(await call(ANNA, 'im.chat.add', { TITLE: 'Pages', USERS: [IVAN] }));
    const posted: number[] = [];
    for (let i = 0; i < 5; i++) posted.push(await say(ANNA, `chat${chat}`, `ticket ${i}`));
    const first = expectOk(await call(ANNA, 'parley.message.search', { FIND: 'tickets', LIMIT: 3 }));
    assert.deepEqual(first.messages.map((m: any) => m.id), posted.slice(2).reverse());
    assert.equal(first.more, true);
    const second = expectOk(await call(ANNA, 'parley.message.search', { FIND: 'tickets', LIMIT: 3, LAST_ID: posted[2] }));
    assert.deepEqual(second.messages.map((m: any) => m.id), posted.slice(0, 2).reverse());
    assert.equal(second.more, false);
  });
});
}
