/**
 * Open-line connectors (imconnector.*, issue 12) with a real connector app (test/fixtures/connector-app.mjs)
 * and a real line bot (test/fixtures/echo-bot.mjs, type O), on SQLite and PostgreSQL: a whole
 * conversation — the customer writes through the app, the bot answers, "0" hands it to the queue, the
 * operator answers with im.message.add and the app receives the signed reply and confirms delivery,
 * the operator's edit and deletion follow, imopenlines.operator.finish sends the close text and the
 * rating request out, the customer's "1" is the vote, and the session, dialog and line-message events
 * reached the app with `eventId` in their envelope. Then every method's documented errors over HTTP, the
 * register/unregister HTTP-200 error shape, webhook refusal, another app's connector refused, the
 * switch-off / line-deletion / uninstall events and effects, and customers kept out of people lists.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { echoBot, botEvents, restForm, spawnListening, waitFor, ROOT, type Child } from './helpers/portal.ts';
import { addApp, addUser, installEchoBot, portalSuite, uninstallApp, webhookFor, type TestPortal } from './helpers/suite.ts';
import { runAction } from '../src/domain/action.ts';
import { createLine, deleteLine } from '../src/domain/lines/lines.ts';
import { findSession, lastSession, STATUS } from '../src/domain/lines/sessions.ts';
import { mintToken } from '../src/auth/tokens.ts';
import type { App } from '../src/domain/types.ts';

async function connectorApp(env: Record<string, string>): Promise<Child> {
  return spawnListening(process.execPath, [path.join(ROOT, 'test/fixtures/connector-app.mjs'), '0'], env);
}
const appEvents = async (c: Child): Promise<any[]> => (await fetch(`${c.url}events`)).json() as Promise<any[]>;
async function say(c: Child, what: Record<string, unknown>): Promise<{ status: number; body: any }> {
  return (await fetch(`${c.url}say`, { method: 'POST', body: JSON.stringify(what) })).json() as Promise<{ status: number; body: any }>;
}
/** The ONIMCONNECTORMESSAGEADD messages the app got, in order. */
async function outgoing(c: Child): Promise<any[]> {
  return (await appEvents(c)).filter((e) => e.event === 'ONIMCONNECTORMESSAGEADD').flatMap((e) => Object.values(e.data.MESSAGES).map((m: any) => ({ ...m, ev: e })));
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`open-line connectors on ${dialect}`, () => {
    let p: TestPortal;
    let skip: string | undefined;
    const children: Child[] = [];
    let rest: string;
    let app: Child;
    let connApp: App;
    let lineId: number;
    let ann: number;
    let customerId = 0;
    let chatId = 0;

    before(async () => {
      const s = await portalSuite(dialect, { linesTickMs: 50 });
      if ('skip' in s) return void (skip = s.skip);
      p = s;
      rest = `${p.url}/rest/`;
    });
    after(async () => {
      for (const c of children) await c.stop();
      if (!skip) await p?.close();
    });

    test('a whole conversation through the connector app: bot, "0", operator, finish, rating', async (t) => {
      if (skip) return t.skip(skip);
      ann = await addUser(p, { name: 'Ann', lastName: 'Operator' });
      const bot = await echoBot(0, 'O');
      children.push(bot);
      const { botId } = await installEchoBot(p, bot);
      lineId = await createLine(p.portal.db, 1, {
        name: 'Support', queue: [{ type: 'user', id: ann }],
        params: { QUEUE_TYPE: 'strictly', QUEUE_TIME: 600, WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId, WELCOME_BOT_TIME: 0, CLOSE_RULE: 'text', CLOSE_TEXT: 'Thank you, goodbye!' },
      });
      app = await connectorApp({ CONNECTOR: 'parley_test', LINE: String(lineId) });
      children.push(app);
      connApp = await addApp(p, { name: 'Connector', handler: app.url, scope: 'imopenlines,imconnector' });
      const install = await waitFor('the connector app set itself up', async () => (await appEvents(app)).find((e) => e.event === 'ONAPPINSTALL' && (e.ready !== undefined || e.error)));
      assert.ok(install.ready, JSON.stringify(install.setup ?? install.error));
      assert.deepEqual(install.setup[0].body.result, { result: true });

      // The customer writes: their user and line chat are made, the session starts with the bot.
      const first = await say(app, { user: 'u-42', chat: 'c-42', text: 'hello there', id: 'in-1' });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const r = first.body.result;
      assert.equal(r.SUCCESS, true);
      const el = r.DATA.RESULT[0];
      assert.deepEqual(Object.keys(el), ['user', 'message', 'chat', 'SUCCESS', 'session']);
      assert.deepEqual(el.message, { id: 'in-1', date: {}, text: 'hello there', files: [] });
      assert.deepEqual(el.chat, { id: 'c-42', name: 'Support chat', description: 'Link to the original post: https://example.com/chats/1' });
      customerId = Number(el.user);
      chatId = Number(el.session.CHAT_ID);
      assert.ok(customerId > 0 && chatId > 0 && Number(el.session.ID) > 0);
      const session = (await findSession(p.portal.db, Number(el.session.ID)))!;
      assert.deepEqual([session.stage, session.operator_id, session.chat_id], ['bot', botId, chatId]);

      // The bot's welcome and its echo go out to the connector app, unsigned (a bot), and are confirmed.
      const echoed = await waitFor('the bot\'s echo at the connector app', async () => (await outgoing(app)).find((m) => m.message.text === 'echo: hello there'));
      assert.equal(echoed.ev.data.CONNECTOR, 'parley_test');
      assert.equal(Number(echoed.ev.data.LINE), lineId);
      assert.equal(Number(echoed.im.chat_id), chatId);
      assert.equal(Number(echoed.message.user_id), botId);
      assert.equal(echoed.chat.id, 'c-42');
      assert.ok(echoed.ev.event_handler_id, 'the envelope names the handler (event_handler_id)');
      assert.ok(echoed.ev.auth.access_token, 'the app\'s tokens come with it');

      // The customer edits their message: the bot (in the chat) hears ONIMBOTMESSAGEUPDATE.
      const edited = await (await fetch(`${app.url}call`, { method: 'POST', body: JSON.stringify({ method: 'imconnector.update.messages', params: {
        CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [{ user: { id: 'u-42' }, message: { id: 'in-1', text: 'hello there, edited' }, chat: { id: 'c-42' } }],
      } }) })).json() as any;
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.result.DATA.RESULT[0].SUCCESS, true);
      assert.equal(edited.body.result.DATA.RESULT[0].user, String(customerId));
      await waitFor('ONIMBOTMESSAGEUPDATE at the bot', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEUPDATE' && e.data.PARAMS.MESSAGE === 'hello there, edited'));

      // "0": the bot hands the session to the queue, offered to Ann.
      await say(app, { user: 'u-42', chat: 'c-42', text: '0' });
      let s = (await findSession(p.portal.db, session.id))!;
      assert.deepEqual([s.stage, s.operator_id], ['queue', ann]);

      // Ann answers in the line chat; the app gets her reply signed, and confirms its delivery.
      const annHook = await webhookFor(p, ann, 'im');
      const sent = await restForm(annHook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Hi Carl, how can I help?' });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const reply = await waitFor('Ann\'s reply at the connector app', async () => (await outgoing(app)).find((m) => Number(m.im.message_id) === sent.body.result));
      assert.equal(reply.message.text, '[b]Ann Operator:[/b] [br]Hi Carl, how can I help?');
      assert.equal(Number(reply.message.user_id), ann);
      s = (await findSession(p.portal.db, session.id))!;
      assert.deepEqual([s.stage, s.operator_id], ['operator', ann]);
      const link = await waitFor('the delivery recorded', async () => {
        const l = await p.portal.db.selectFrom('ol_message_links').selectAll().where('message_id', '=', sent.body.result).executeTakeFirst();
        return l?.delivered ? l : undefined;
      });
      assert.deepEqual(JSON.parse(link.ext_ids), [`out-${sent.body.result}`]);
      const confirmed = await waitFor('the app\'s delivery call answered', async () => (await outgoing(app)).find((m) => Number(m.im.message_id) === sent.body.result && m.ev.delivery));
      assert.equal(confirmed.ev.delivery.status, 200);
      assert.deepEqual(confirmed.ev.delivery.body.result, { SUCCESS: true, DATA: [] });
      // Delivered is read: the customer's read position is at Ann's message.
      const member = await p.portal.db.selectFrom('chat_members').select('last_read_id').where('chat_id', '=', chatId).where('user_id', '=', customerId).executeTakeFirstOrThrow();
      assert.ok(Number(member.last_read_id) >= sent.body.result);

      // Ann edits and then deletes her reply: the app hears both, with its own id for the message.
      assert.equal((await restForm(annHook, 'im.message.update', { MESSAGE_ID: sent.body.result, MESSAGE: 'Hi Carl, how may I help?' })).status, 200);
      const upd = await waitFor('ONIMCONNECTORMESSAGEUPDATE', async () => (await appEvents(app)).find((e) => e.event === 'ONIMCONNECTORMESSAGEUPDATE'));
      assert.deepEqual(upd.data.MESSAGES[0], { im: { chat_id: String(chatId), message_id: String(sent.body.result) }, message: { id: { 0: `out-${sent.body.result}` }, text: '[b]Ann Operator:[/b] [br]Hi Carl, how may I help?' }, chat: { id: 'c-42' } });
      assert.equal((await restForm(annHook, 'im.message.delete', { MESSAGE_ID: sent.body.result })).status, 200);
      const del = await waitFor('ONIMCONNECTORMESSAGEDELETE', async () => (await appEvents(app)).find((e) => e.event === 'ONIMCONNECTORMESSAGEDELETE'));
      assert.deepEqual(del.data, { CONNECTOR: 'parley_test', LINE: String(lineId), MESSAGES: { 0: { im: { chat_id: String(chatId), message_id: String(sent.body.result) }, message: { id: `out-${sent.body.result}` }, chat: { id: 'c-42' } } } });

      // Ann finishes the conversation.
      const finished = await restForm(await webhookFor(p, ann, 'imopenlines'), 'imopenlines.operator.finish', { CHAT_ID: chatId });
      assert.deepEqual([finished.status, finished.body.result], [200, true], JSON.stringify(finished.body));
      await waitFor('the close text at the app', async () => (await outgoing(app)).find((m) => m.message.text === 'Thank you, goodbye!'));
      await waitFor('the rating request at the app', async () => (await outgoing(app)).find((m) => String(m.message.text).startsWith('Please rate the quality of service.')));
      const rated = await say(app, { user: 'u-42', chat: 'c-42', text: '1' });
      assert.equal(rated.body.result.DATA.RESULT[0].session.ID, String(session.id));
      s = (await findSession(p.portal.db, session.id))!;
      assert.deepEqual([s.stage, s.status, s.vote], ['closed', STATUS.CLOSED, 'like']);
      await waitFor('the thanks for the rating at the app', async () => (await outgoing(app)).find((m) => m.message.text === 'Thank you for your feedback!'));
      assert.equal((await lastSession(p.portal.db, chatId))!.id, session.id);

      // The session and line-message events reached the connector's app, with `eventId` in their envelope.
      const evs = await appEvents(app);
      const of = (name: string) => evs.filter((e) => e.event === name);
      // connector.chat_id / user_id and user.id are the customer's ids on the connector's side, as documented.
      const item = { connector: { connector_id: 'parley_test', line_id: String(lineId), chat_id: 'c-42', user_id: 'u-42' }, chat: { id: String(chatId) }, user: { id: 'u-42' } };
      for (const [name, closed] of [['ONSESSIONSTART', 'N'], ['ONSESSIONFINISH', 'Y'], ['ONIMCONNECTORDIALOGSTART', 'N'], ['ONIMCONNECTORDIALOGFINISH', 'Y']] as const) {
        const [ev] = await waitFor(name, async () => of(name).length > 0 && of(name));
        assert.ok(ev.eventId && ev.event_handler_id === undefined, `${name}: eventId in the envelope`);
        const d = ev.data.DATA[0];
        assert.deepEqual({ connector: d.connector, chat: d.chat, user: d.user }, item, name);
        assert.equal(d.session.id, String(session.id));
        assert.equal(d.session.closed, closed);
        if (name.startsWith('ONIMCONNECTOR')) assert.deepEqual([ev.data.CONNECTOR, ev.data.LINE], ['parley_test', String(lineId)]);
      }
      const customerLine = of('ONOPENLINEMESSAGEADD').map((e) => e.data.DATA[0]).find((d) => d.message.text === 'hello there');
      assert.ok(customerLine, 'OnOpenLineMessageAdd for the customer\'s message');
      assert.deepEqual([customerLine.message.user_id, customerLine.message.system, customerLine.chat.id], [String(customerId), 'N', String(chatId)]);
      assert.ok(of('ONOPENLINEMESSAGEADD').some((e) => e.data.DATA[0].message.user_id === String(ann)), 'and for Ann\'s reply');
      // Ann's edit and deletion of her reply: OnOpenLineMessageUpdate / Delete, naming the connector and line.
      for (const name of ['ONOPENLINEMESSAGEUPDATE', 'ONOPENLINEMESSAGEDELETE']) {
        const ev = of(name).find((e) => e.data.DATA[0].message.id === String(sent.body.result));
        assert.ok(ev, `${name} for Ann's reply`);
        assert.ok(ev.eventId, `${name}: eventId in the envelope`);
        assert.deepEqual([ev.data.CONNECTOR, ev.data.LINE, ev.data.DATA[0].im], ['parley_test', String(lineId), { chat_id: String(chatId), message_id: String(sent.body.result) }]);
      }
    });

    test('documented errors, the HTTP-200 shape of register/unregister, webhooks and other apps refused', async (t) => {
      if (skip) return t.skip(skip);
      const token = (await mintToken(p.portal, p.portal.db, connApp, 1)).access_token;
      const call = (method: string, params: Record<string, unknown>, auth = token) => restForm(rest, method, { ...params, auth });
      const fails = async (method: string, params: Record<string, unknown>, status: number, error: string, description?: string, auth = token) => {
        const res = await call(method, params, auth);
        assert.equal(res.status, status, `${method} ${JSON.stringify(params)}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error, error, JSON.stringify(res.body));
        if (description) assert.equal(res.body.error_description, description);
      };
      const inResult = async (method: string, params: Record<string, unknown>, error: string, description: string, auth = token) => {
        const res = await call(method, params, auth);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.result, { result: false, error, error_description: description });
        assert.ok(res.body.time, 'a normal envelope, with its time');
      };
      const icon = { DATA_IMAGE: 'data:image/svg+xml,%3Csvg/%3E' };
      const good = { ID: 'second', NAME: 'Second', ICON: icon, PLACEMENT_HANDLER: 'https://example.com/settings' };
      await inResult('imconnector.register', { ...good, ID: '' }, 'CONNECTOR_ID_REQUIRED', 'Connector ID is not specified');
      await inResult('imconnector.register', { ...good, ID: 'my.conn' }, 'APPLICATION_REGISTRATION_ERROR_POINT', 'Application registration error. Using a dot in the connector identifier is not allowed');
      await inResult('imconnector.register', { ...good, NAME: '' }, 'NAME_REQUIRED', 'Connector name is not specified');
      await inResult('imconnector.register', { ...good, ICON: { COLOR: '#fff' } }, 'ICON_REQUIRED', 'Connector icon is not specified');
      await inResult('imconnector.register', { ...good, PLACEMENT_HANDLER: '' }, 'NO_PLACEMENT_HANDLER', 'Failed to get embedding handler URL');
      await inResult('imconnector.unregister', { ID: 'nothing_here' }, 'APPLICATION_UNREGISTRATION_ERROR', 'Error unregistering the application');
      // ID is lower-cased; registering it again updates it.
      assert.deepEqual((await call('imconnector.register', { ...good, ID: 'SECOND' })).body.result, { result: true });
      assert.deepEqual((await call('imconnector.register', { ...good, NAME: 'Second, renamed', CHAT_GROUP: 'Y' })).body.result, { result: true });
      assert.deepEqual((await call('imconnector.list', {})).body.result, { parley_test: 'Parley test channel', second: 'Second, renamed' });

      // Application context only: a webhook with the scope is WRONG_AUTH_TYPE, one without it insufficient_scope.
      const hook = await webhookFor(p, 1, 'imopenlines,imconnector');
      for (const method of ['imconnector.register', 'imconnector.list', 'imconnector.send.messages', 'imconnector.chat.name.set']) {
        const res = await restForm(hook, method, { ...good });
        assert.equal(res.status, 403, `${method}: ${JSON.stringify(res.body)}`);
        assert.deepEqual(res.body, { error: 'WRONG_AUTH_TYPE', error_description: 'Current authorization type is denied for this method Application context required' });
      }
      assert.equal((await restForm(await webhookFor(p, 1, 'im'), 'imconnector.list', {})).body.error, 'insufficient_scope');

      // Either scope admits the methods and the events.
      const other = await addApp(p, { name: 'Other connector', handler: 'http://127.0.0.1:9/other', scope: 'imconnector' });
      const otherToken = (await mintToken(p.portal, p.portal.db, other, 1)).access_token;
      assert.equal((await call('imconnector.list', {}, otherToken)).status, 200);
      assert.equal((await call('event.bind', { event: 'OnImConnectorMessageAdd', handler: 'http://127.0.0.1:9/other' }, otherToken)).body.result, true);
      // Another app's connector is refused everywhere: registering over it, unregistering it, and acting through it.
      await inResult('imconnector.register', { ...good, ID: 'parley_test' }, 'APPLICATION_REGISTRATION_ERROR', 'Application registration error', otherToken);
      await inResult('imconnector.unregister', { ID: 'parley_test' }, 'APPLICATION_UNREGISTRATION_ERROR', 'Error unregistering the application', otherToken);
      const msg = { user: { id: 'intruder' }, message: { id: 'x', text: 'hi' }, chat: { id: 'c-42' } };
      const NO_PROVIDER = 'Failed to find a suitable provider for the connector';
      for (const [method, params] of [
        ['imconnector.activate', { CONNECTOR: 'parley_test', LINE: lineId, ACTIVE: 'N' }],
        ['imconnector.status', { CONNECTOR: 'parley_test', LINE: lineId }],
        ['imconnector.connector.data.set', { CONNECTOR: 'parley_test', LINE: lineId, DATA: { ID: 'x' } }],
        ['imconnector.send.messages', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [msg] }],
        ['imconnector.update.messages', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [msg] }],
        ['imconnector.delete.messages', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [msg] }],
        ['imconnector.send.status.delivery', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [{ im: { chat_id: chatId, message_id: 1 }, message: { id: ['y'] }, chat: { id: 'c-42' } }] }],
        ['imconnector.send.status.reading', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [{ im: { chat_id: chatId, message_id: 1 }, message: { id: ['y'] }, chat: { id: 'c-42' } }] }],
        ['imconnector.chat.name.set', { CONNECTOR: 'parley_test', LINE: lineId, CHAT_ID: 'c-42', NAME: 'Stolen' }],
      ] as const) await fails(method, params, 400, 'IMCONNECTOR_NO_CORRECT_PROVIDER', NO_PROVIDER, otherToken);
      assert.equal((await call('imconnector.status', { CONNECTOR: 'parley_test', LINE: lineId })).body.result.STATUS, true, 'still on');

      // Arguments, in the documented texts.
      await fails('imconnector.activate', { LINE: lineId, ACTIVE: '1' }, 400, 'ERROR_ARGUMENT', "Argument 'CONNECTOR' is null or empty");
      await fails('imconnector.activate', { CONNECTOR: 'second', ACTIVE: '1' }, 400, 'ERROR_ARGUMENT', "Argument 'LINE' is null or empty");
      await fails('imconnector.activate', { CONNECTOR: 'second', LINE: lineId }, 400, 'ERROR_ARGUMENT', "Argument 'ACTIVE' is null or empty");
      await fails('imconnector.status', { LINE: lineId }, 400, 'ERROR_ARGUMENT', "Argument 'CONNECTOR' is null or empty");
      await fails('imconnector.connector.data.set', { CONNECTOR: 'second', LINE: lineId }, 400, 'ERROR_ARGUMENT', "Argument 'DATA' is null or empty");
      await fails('imconnector.send.messages', { CONNECTOR: 'parley_test', LINE: lineId }, 400, 'ERROR_ARGUMENT', "Argument 'MESSAGES' is null or empty");
      await fails('imconnector.send.messages', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: 'hello' }, 400, 'ERROR_ARGUMENT', "The value of an argument 'MESSAGES' must be of type array");
      await fails('imconnector.send.messages', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: ['hello'] }, 400, 'ERROR_ARGUMENT', 'The MESSAGES parameter must be an array of messages (arrays)');
      await fails('imconnector.send.messages', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [{ user: { id: 'a' }, message: { text: 'x' } }] }, 400, 'ERROR_ARGUMENT', 'The incorrect structure of a message inside MESSAGES parameter');
      await fails('imconnector.chat.name.set', { CONNECTOR: 'parley_test', LINE: lineId, CHAT_ID: 'c-42' }, 400, 'ERROR_ARGUMENT', 'Required parameters NAME, CHAT_ID, USER_ID, CONNECTOR, or LINE are missing');
      await fails('imconnector.chat.name.set', { CONNECTOR: 'parley_test', LINE: lineId, CHAT_ID: 'no-such-chat', NAME: 'X' }, 400, 'CHAT_RENAMING_FAILED', 'Failed to rename the chat');
      // NOT_ACTIVE_LINE: no such line, the connector not on the line, the line switched off.
      const NOT_ACTIVE = 'The line with this ID is inactive or does not exist';
      await fails('imconnector.send.messages', { CONNECTOR: 'parley_test', LINE: 999999, MESSAGES: [msg] }, 400, 'NOT_ACTIVE_LINE', NOT_ACTIVE);
      await fails('imconnector.send.messages', { CONNECTOR: 'second', LINE: lineId, MESSAGES: [msg] }, 400, 'NOT_ACTIVE_LINE', NOT_ACTIVE);
      const idle = await createLine(p.portal.db, 1, { name: 'Idle', active: false });
      assert.equal((await call('imconnector.activate', { CONNECTOR: 'parley_test', LINE: idle, ACTIVE: 'Y' })).body.result, true);
      await fails('imconnector.send.messages', { CONNECTOR: 'parley_test', LINE: idle, MESSAGES: [msg] }, 400, 'NOT_ACTIVE_LINE', NOT_ACTIVE);
      // A message without a user id or text fails alone, in its element.
      const partial = await call('imconnector.send.messages', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [{ user: { id: '' }, message: { id: 'z', text: '' }, chat: { id: 'c-9' } }] });
      assert.equal(partial.status, 200);
      assert.equal(partial.body.result.DATA.RESULT[0].SUCCESS, false);
      assert.deepEqual(partial.body.result.DATA.RESULT[0].ERRORS, ['The user ID is not specified', 'The message has neither text nor files']);

      // status: LINE=0 is all false; configured and on is STATUS.
      assert.deepEqual((await call('imconnector.status', { CONNECTOR: 'parley_test', LINE: 0 })).body.result, { LINE: 0, CONNECTOR: 'parley_test', ERROR: false, CONFIGURED: false, STATUS: false });
      assert.deepEqual((await call('imconnector.status', { CONNECTOR: 'parley_test', LINE: lineId })).body.result, { LINE: lineId, CONNECTOR: 'parley_test', ERROR: false, CONFIGURED: true, STATUS: true });
      // chat.name.set renames the customer's line chat; reading is the documented stub.
      assert.deepEqual((await call('imconnector.chat.name.set', { CONNECTOR: 'parley_test', LINE: lineId, CHAT_ID: 'c-42', USER_ID: 'u-42', NAME: 'Carl at the shop' })).body.result, { SUCCESS: true, DATA: { RESULT: {} } });
      assert.equal((await p.portal.db.selectFrom('chats').select('title').where('id', '=', chatId).executeTakeFirstOrThrow()).title, 'Carl at the shop');
      assert.deepEqual((await call('imconnector.send.status.reading', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [{ im: { chat_id: chatId, message_id: 1 }, message: { id: ['r'] }, chat: { id: 'c-42' } }] })).body.result, { SUCCESS: true, DATA: [] });
      // A customer deletes their message.
      const gone = await call('imconnector.delete.messages', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [{ user: { id: 'u-42' }, message: { id: 'in-1' }, chat: { id: 'c-42' } }] });
      assert.deepEqual(gone.body.result, { SUCCESS: true, DATA: { RESULT: [{ user: String(customerId), message: { id: 'in-1' }, chat: { id: 'c-42' }, SUCCESS: true }] } });
      const in1 = await p.portal.db.selectFrom('messages').select('deleted').where('chat_id', '=', chatId).where('author_id', '=', customerId).orderBy('id').executeTakeFirstOrThrow();
      assert.equal(in1.deleted, 1);

      // Customers are nobody's colleagues: not in user.get, not found by im.search.
      const people = await webhookFor(p, 1, 'im,user');
      const users = (await restForm(people, 'user.get', {})).body.result.map((u: any) => Number(u.ID));
      assert.ok(users.includes(ann) && !users.includes(customerId), JSON.stringify(users));
      assert.deepEqual((await restForm(people, 'im.search.user.list', { FIND: 'Carl' })).body.result, []);

      // Switching the connector off on a line tells its app; so does deleting a line it is on.
      assert.equal((await call('imconnector.activate', { CONNECTOR: 'parley_test', LINE: lineId, ACTIVE: 'N' })).body.result, true);
      const off = await waitFor('ONIMCONNECTORSTATUSDELETE', async () => (await appEvents(app)).find((e) => e.event === 'ONIMCONNECTORSTATUSDELETE'));
      assert.deepEqual(off.data, { connector: 'parley_test', line: String(lineId) });
      await fails('imconnector.send.messages', { CONNECTOR: 'parley_test', LINE: lineId, MESSAGES: [msg] }, 400, 'NOT_ACTIVE_LINE', NOT_ACTIVE);
      await runAction(p.portal, (trx) => deleteLine(trx, idle));
      const lineGone = await waitFor('ONIMCONNECTORLINEDELETE', async () => (await appEvents(app)).find((e) => e.event === 'ONIMCONNECTORLINEDELETE'));
      assert.equal(lineGone.data, String(idle));

      // Uninstalling an app removes its connectors.
      assert.deepEqual((await call('imconnector.register', { ...good, ID: 'others' }, otherToken)).body.result, { result: true });
      await uninstallApp(p, other.id);
      assert.deepEqual(Object.keys((await call('imconnector.list', {})).body.result), ['parley_test', 'second']);
      assert.deepEqual((await call('imconnector.unregister', { ID: 'second' })).body.result, { result: true });
      assert.deepEqual(Object.keys((await call('imconnector.list', {})).body.result), ['parley_test']);
    });
  });
}
