/**
 * ATTACH, KEYBOARD and MENU over real HTTP: what a bot (or a user) sends, in the full or short form,
 * as PHP brackets, JSON or a JSON string, is validated block by block and button by button and comes
 * back from im.dialog.messages.get in the stored shape; invalid parts are dropped, and only a part
 * with nothing valid left (or above 30 KB) is refused with its documented error.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testPortal, echoBot, restForm, restJson, botEvents, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

let portal: Awaited<ReturnType<typeof testPortal>>;
let bot: Child;
let botId: number;
let token: string;
let rest: string;
/** Anna's (user 2) incoming webhook. */
let anna: string;

before(async () => {
  portal = await testPortal();
  rest = `${portal.url}/rest/`;
  bot = await echoBot();
  const installed = await installEchoBot(portal, bot);
  [botId, token] = [installed.botId, installed.install.auth.access_token];
  anna = await webhookFor(portal, 2);
});

after(async () => {
  await bot?.stop();
  await portal?.close();
});

type Via = 'form' | 'json';
/** imbot.message.add from the echo bot to Anna, as a PHP form or as JSON. */
const botSend = (params: Record<string, unknown>, via: Via = 'form') =>
  (via === 'form' ? restForm : restJson)(rest, 'imbot.message.add', { auth: token, BOT_ID: botId, DIALOG_ID: 2, MESSAGE: 'rich message', ...params });

/** The params of a message as Anna reads them with im.dialog.messages.get. */
async function stored(id: number): Promise<any> {
  const history = expectOk(await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId, LIMIT: 50 }));
  const m = history.messages.find((x: any) => x.id === id);
  assert.ok(m, `message ${id} is in the history`);
  return m.params;
}

/** Post and read back: the stored params of a successfully added message. */
async function roundTrip(params: Record<string, unknown>, via: Via = 'form'): Promise<any> {
  return stored(expectOk(await botSend(params, via)));
}

const jsLink = 'javascript:alert(1)';

describe('ATTACH', () => {
  test('the full form: every block type stored as im.dialog.messages.get shows it', async () => {
    const attach = {
      ID: 7, COLOR: '#29619b',
      BLOCKS: [
        { USER: { NAME: 'Иван Иванов', AVATAR: 'https://example.com/a.png', LINK: 'https://example.com/' } },
        { USER: { NAME: 'A chat', CHAT_ID: 12 } },
        { USER: { NAME: 'A bot', BOT_ID: botId, AVATAR_TYPE: 'USER' } },
        { LINK: { NAME: 'Ticket', DESC: 'Soon', LINK: 'https://api.bitrix24.com/', PREVIEW: 'https://example.com/p.png', WIDTH: '1000', HEIGHT: 638 } },
        { LINK: { NAME: 'Maria', USER_ID: 4 } },
        { MESSAGE: 'API [B]im 16.0.0[/B]#BR#next line' },
        { DELIMITER: { SIZE: 200, COLOR: '#c6c6c6' } },
        { DELIMITER: {} },
        { GRID: [
          { NAME: 'Project', VALUE: 'BUGS', DISPLAY: 'LINE', WIDTH: 100, COLOR: '#ff0000' },
          { NAME: 'Summary', VALUE: 'Long text', DISPLAY: 'BLOCK', LINK: 'https://example.com/t/1' },
          { NAME: 'Owner', VALUE: 'Anna', DISPLAY: 'COLUMN', USER_ID: 2, CHAT_ID: '3' },
        ] },
        { IMAGE: { NAME: 'Mantis', LINK: 'https://example.com/m.jpg', PREVIEW: 'https://example.com/m-small.jpg', WIDTH: 1000, HEIGHT: '638' } },
        { IMAGE: [{ LINK: 'https://example.com/1.png' }, { LINK: '/upload/2.png', NAME: 'Relative' }] },
        { FILE: { NAME: 'mantis.jpg', LINK: 'https://example.com/m.jpg', SIZE: '1500000' } },
        { RICH_LINK: { NAME: 'Yandex', LINK: 'http://yandex.ru/', DESC: 'Найдется все', PREVIEW: 'https://yastatic.net/logo.png' } },
      ],
    };
    const params = await roundTrip({ ATTACH: attach }, 'json');
    assert.deepEqual(params.ATTACH, [{
      ID: '7', COLOR: '#29619b',
      BLOCKS: [
        { USER: [{ NAME: 'Иван Иванов', AVATAR_TYPE: 'USER', LINK: 'https://example.com/', AVATAR: 'https://example.com/a.png' }] },
        { USER: [{ NAME: 'A chat', AVATAR_TYPE: 'CHAT', CHAT_ID: 12 }] },
        { USER: [{ NAME: 'A bot', AVATAR_TYPE: 'USER', BOT_ID: botId }] },
        { LINK: [{ NAME: 'Ticket', LINK: 'https://api.bitrix24.com/', DESC: 'Soon', PREVIEW: 'https://example.com/p.png', WIDTH: 1000, HEIGHT: 638 }] },
        { LINK: [{ USER_ID: 4, NAME: 'Maria' }] },
        { MESSAGE: 'API [B]im 16.0.0[/B][BR]next line' },
        { DELIMITER: { SIZE: 200, COLOR: '#c6c6c6' } },
        { DELIMITER: { SIZE: 200 } },
        { GRID: [
          { DISPLAY: 'LINE', NAME: 'Project', VALUE: 'BUGS', COLOR: '#ff0000', WIDTH: 100 },
          { DISPLAY: 'BLOCK', NAME: 'Summary', VALUE: 'Long text', LINK: 'https://example.com/t/1' },
          { DISPLAY: 'ROW', NAME: 'Owner', VALUE: 'Anna', USER_ID: 2, CHAT_ID: 3 },
        ] },
        { IMAGE: [{ NAME: 'Mantis', LINK: 'https://example.com/m.jpg', WIDTH: 1000, HEIGHT: 638, PREVIEW: 'https://example.com/m-small.jpg' }] },
        { IMAGE: [{ LINK: 'https://example.com/1.png' }, { NAME: 'Relative', LINK: '/upload/2.png' }] },
        { FILE: [{ LINK: 'https://example.com/m.jpg', NAME: 'mantis.jpg', SIZE: 1500000 }] },
        { RICH_LINK: [{ NAME: 'Yandex', LINK: 'http://yandex.ru/', DESC: 'Найдется все', PREVIEW: 'https://yastatic.net/logo.png' }] },
      ],
    }]);
  });

  test('the short form from PHP brackets: wrapped with a generated ID and the chat colour', async () => {
    const params = await roundTrip({ ATTACH: [{ MESSAGE: 'first' }, { LINK: { NAME: 'Site', LINK: 'https://example.com/' } }] });
    assert.equal(params.ATTACH.length, 1);
    const [a] = params.ATTACH;
    assert.match(a.ID, /^\d+$/);
    assert.ok(!('COLOR' in a), 'no COLOR: the attach takes the colour of the chat');
    assert.deepEqual(a.BLOCKS, [{ MESSAGE: 'first' }, { LINK: [{ NAME: 'Site', LINK: 'https://example.com/' }] }]);
  });

  test('a JSON string, a PHP map with sparse keys and a TRANSPARENT colour', async () => {
    const fromString = await roundTrip({ ATTACH: JSON.stringify({ ID: 'card', COLOR: 'TRANSPARENT', BLOCKS: [{ MESSAGE: 'from a string' }] }) });
    assert.deepEqual(fromString.ATTACH, [{ ID: 'card', BLOCKS: [{ MESSAGE: 'from a string' }], COLOR: 'transparent' }]);
    // PHP keeps the keys it was given: ATTACH[3][...]&ATTACH[7][...] is still a list of blocks.
    const sparse = await roundTrip({ ATTACH: { 3: { MESSAGE: 'three' }, 7: { DELIMITER: { SIZE: 'x' } } } });
    assert.deepEqual(sparse.ATTACH[0].BLOCKS, [{ MESSAGE: 'three' }, { DELIMITER: { SIZE: 200 } }]);
    // What im.dialog.messages.get returns can be sent back as it is.
    const again = await roundTrip({ ATTACH: fromString.ATTACH }, 'json');
    assert.deepEqual(again.ATTACH, fromString.ATTACH);
  });

  test('an invalid block is dropped, unknown keys and unknown blocks are not stored, numbers are coerced', async () => {
    const params = await roundTrip({
      ATTACH: [
        { MESSAGE: 'kept' },
        { LINK: { NAME: 'evil', LINK: jsLink } },
        { IMAGE: { LINK: 'ftp://example.com/x.png' } },
        { FILE: { NAME: 'no link' } },
        { USER: { AVATAR: 'https://example.com/a.png' } },
        { MESSAGE: '   ' },
        { GRID: [{ DISPLAY: 'BLOCK' }] },
        { VIDEO: { LINK: 'https://example.com/v.mp4' } },
        { LINK: { NAME: 'Site', LINK: 'https://example.com/', EXTRA: 'dropped', PREVIEW: jsLink, WIDTH: '640px' } },
        { IMAGE: [{ LINK: jsLink }, { LINK: 'https://example.com/ok.png', WIDTH: '-5', HEIGHT: 'abc', COLOR: '#fff' }] },
        { USER: { NAME: 'Line\nbreak', LINK: '//evil.example/', AVATAR: 'data:image/png;base64,AAAA' } },
      ],
    });
    assert.deepEqual(params.ATTACH[0].BLOCKS, [
      { MESSAGE: 'kept' },
      { LINK: [{ NAME: 'Site', LINK: 'https://example.com/' }] },
      { IMAGE: [{ LINK: 'https://example.com/ok.png' }] },
      { USER: [{ NAME: 'Line break', AVATAR_TYPE: 'USER' }] },
    ]);
  });

  test('the whole attach is ATTACH_ERROR only when nothing valid remains; nothing is posted', async () => {
    const count = async () => expectOk(await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId, LIMIT: 50 })).messages.length;
    const before = await count();
    expectError(await botSend({ ATTACH: [{ LINK: { NAME: 'x', LINK: jsLink } }] }), 400, 'ATTACH_ERROR');
    expectError(await botSend({ ATTACH: [{ IMAGE: { LINK: 'javascript:void(0)' } }, { FILE: { LINK: 'file:///etc/passwd' } }] }), 400, 'ATTACH_ERROR');
    expectError(await botSend({ ATTACH: [{ UNKNOWN: { NAME: 'x' } }] }), 400, 'ATTACH_ERROR');
    expectError(await botSend({ ATTACH: { ID: 1, BLOCKS: [{ MESSAGE: '' }] } }, 'json'), 400, 'ATTACH_ERROR');
    expectError(await botSend({ ATTACH: { MESSAGE: 'a bare block is not an attach' } }, 'json'), 400, 'ATTACH_ERROR');
    expectError(await botSend({ ATTACH: '[{"MESSAGE": "broken json"' }), 400, 'ATTACH_ERROR');
    expectError(await botSend({ ATTACH: 'N' }), 400, 'ATTACH_ERROR');
    assert.equal(await count(), before);
  });

  test('GRID: since revision 22 a COLUMN item may lack NAME or VALUE, but not both', async () => {
    const params = await roundTrip({
      ATTACH: [{ GRID: [
        { NAME: 'Only a name', DISPLAY: 'COLUMN' },
        { VALUE: 'Only a value', DISPLAY: 'COLUMN', WIDTH: 250 },
        { DISPLAY: 'COLUMN', WIDTH: 250 },
        { NAME: '', VALUE: ' ', DISPLAY: 'ROW' },
        { NAME: 'Unknown display', VALUE: 'v', DISPLAY: 'WEIRD' },
      ] }],
    });
    assert.deepEqual(params.ATTACH[0].BLOCKS, [{ GRID: [
      { DISPLAY: 'ROW', NAME: 'Only a name', VALUE: '' },
      { DISPLAY: 'ROW', NAME: '', VALUE: 'Only a value', WIDTH: 250 },
      { DISPLAY: 'BLOCK', NAME: 'Unknown display', VALUE: 'v' },
    ] }]);
    expectError(await botSend({ ATTACH: [{ GRID: [{ DISPLAY: 'COLUMN' }, { DISPLAY: 'BLOCK', NAME: ' ' }] }] }), 400, 'ATTACH_ERROR');
  });

  test('above 30 KB is ATTACH_OVERSIZE', async () => {
    const blocks = Array.from({ length: 40 }, (_, i) => ({ MESSAGE: `${i} ${'x'.repeat(1000)}` }));
    expectError(await botSend({ ATTACH: blocks }, 'json'), 400, 'ATTACH_OVERSIZE');
    assert.ok(expectOk(await botSend({ ATTACH: blocks.slice(0, 20) }, 'json')));
  });

  test('a user\'s message may carry an attach (im.message.add), and the bot receives it in ONIMBOTMESSAGEADD', async () => {
    const id = expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'see attach', ATTACH: [{ MESSAGE: 'from Anna' }] }));
    const params = await stored(id);
    assert.deepEqual(params.ATTACH[0].BLOCKS, [{ MESSAGE: 'from Anna' }]);
    const ev = await waitFor('ONIMBOTMESSAGEADD', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE_ID === String(id)));
    // The handler reads the event as PHP does: lists arrive as indexed arrays.
    assert.equal(ev.data.PARAMS.ATTACH['0'].BLOCKS['0'].MESSAGE, 'from Anna');
    assert.equal(ev.data.PARAMS.ATTACH['0'].ID, params.ATTACH[0].ID);
  });

  test('an edit replaces the attach, and an empty ATTACH or N clears it', async () => {
    const id = expectOk(await botSend({ ATTACH: [{ MESSAGE: 'v1' }] }));
    const update = (p: Record<string, unknown>) => restForm(rest, 'imbot.message.update', { auth: token, BOT_ID: botId, MESSAGE_ID: id, ...p });
    assert.equal(expectOk(await update({ ATTACH: [{ MESSAGE: 'v2' }] })), true);
    assert.deepEqual((await stored(id)).ATTACH[0].BLOCKS, [{ MESSAGE: 'v2' }]);
    expectError(await update({ ATTACH: [{ LINK: { LINK: jsLink } }] }), 400, 'ATTACH_ERROR');
    assert.deepEqual((await stored(id)).ATTACH[0].BLOCKS, [{ MESSAGE: 'v2' }]);
    assert.equal(expectOk(await update({ ATTACH: 'N' })), true);
    assert.equal((await stored(id)).ATTACH, undefined);
    assert.equal(expectOk(await update({ ATTACH: [{ MESSAGE: 'v3' }] })), true);
    assert.equal(expectOk(await restJson(rest, 'imbot.message.update', { auth: token, BOT_ID: botId, MESSAGE_ID: id, ATTACH: [] })), true);
    assert.equal((await stored(id)).ATTACH, undefined);
  });
});

describe('KEYBOARD', () => {
  const keyboard = [
    { TEXT: 'Bitrix24', LINK: 'http://bitrix24.com', BG_COLOR: '#29619b', TEXT_COLOR: '#fff', DISPLAY: 'LINE' },
    { TEXT: 'Portal page', LINK: '/company/personal/user/1/', DISPLAY: 'LINE', WIDTH: '120' },
    { TYPE: 'NEWLINE' },
    { TEXT: 'Echo', COMMAND: '/echo', COMMAND_PARAMS: 'test from keyboard', DISPLAY: 'LINE', BLOCK: 'Y' },
    { TEXT: 'List', COMMAND: 'echoList' },
    { TEXT: 'Put', ACTION: 'PUT', ACTION_VALUE: '/search ' },
    { TEXT: 'Send', ACTION: 'SEND', ACTION_VALUE: 'hello' },
    { TEXT: 'Copy', ACTION: 'COPY', ACTION_VALUE: 'ABC-123' },
    { TEXT: 'Call', ACTION: 'CALL', ACTION_VALUE: '+79001234567' },
    { TEXT: 'Dialog', ACTION: 'DIALOG', ACTION_VALUE: 'chat12' },
    { TEXT: 'Open App', APP_ID: '11', APP_PARAMS: 'TEST', DISABLED: 'Y', CONTEXT: 'MOBILE', UNKNOWN_KEY: 'x' },
  ];
  const expected = (owner?: number) => {
    const b = (rest: Record<string, unknown>) => ({ ...(owner ? { BOT_ID: owner } : {}), TYPE: 'BUTTON', ...rest });
    const plain = { BLOCK: 'N', CONTEXT: 'ALL', DISABLED: 'N' };
    return [
      b({ LINK: 'http://bitrix24.com', TEXT: 'Bitrix24', ...plain, DISPLAY: 'LINE', BG_COLOR: '#29619b', TEXT_COLOR: '#fff' }),
      b({ LINK: '/company/personal/user/1/', TEXT: 'Portal page', ...plain, DISPLAY: 'LINE', WIDTH: 120 }),
      { TYPE: 'NEWLINE' },
      b({ COMMAND: 'echo', COMMAND_PARAMS: 'test from keyboard', TEXT: 'Echo', ...plain, BLOCK: 'Y', DISPLAY: 'LINE' }),
      b({ COMMAND: 'echoList', COMMAND_PARAMS: '', TEXT: 'List', ...plain, DISPLAY: 'BLOCK' }),
      b({ ACTION: 'PUT', ACTION_VALUE: '/search ', TEXT: 'Put', ...plain, DISPLAY: 'BLOCK' }),
      b({ ACTION: 'SEND', ACTION_VALUE: 'hello', TEXT: 'Send', ...plain, DISPLAY: 'BLOCK' }),
      b({ ACTION: 'COPY', ACTION_VALUE: 'ABC-123', TEXT: 'Copy', ...plain, DISPLAY: 'BLOCK' }),
      b({ ACTION: 'CALL', ACTION_VALUE: '+79001234567', TEXT: 'Call', ...plain, DISPLAY: 'BLOCK' }),
      b({ ACTION: 'DIALOG', ACTION_VALUE: 'chat12', TEXT: 'Dialog', ...plain, DISPLAY: 'BLOCK' }),
      b({ APP_ID: 11, APP_PARAMS: 'TEST', TEXT: 'Open App', BLOCK: 'N', CONTEXT: 'MOBILE', DISABLED: 'Y', DISPLAY: 'BLOCK' }),
    ];
  };

  test('every kind of button, from PHP brackets, stored as a list addressed to the bot', async () => {
    const params = await roundTrip({ KEYBOARD: keyboard });
    assert.deepEqual(params.KEYBOARD, expected(botId));
  });

  test('{BUTTONS: […]} as JSON and as a JSON string; a bot\'s keyboard is always its own', async () => {
    const json = await roundTrip({ KEYBOARD: { BOT_ID: 999999, BUTTONS: keyboard } }, 'json');
    assert.deepEqual(json.KEYBOARD, expected(botId));
    const text = await roundTrip({ KEYBOARD: JSON.stringify({ BUTTONS: keyboard }) });
    assert.deepEqual(text.KEYBOARD, expected(botId));
  });

  test('a user\'s keyboard names its bot with BOT_ID in the full form, or no bot at all', async () => {
    const named = expectOk(await restJson(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'pick one', KEYBOARD: { BOT_ID: botId, BUTTONS: keyboard } }));
    assert.deepEqual((await stored(named)).KEYBOARD, expected(botId));
    const bare = expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'pick again', KEYBOARD: keyboard }));
    assert.deepEqual((await stored(bare)).KEYBOARD, expected());
  });

  test('invalid buttons are dropped; KEYBOARD_ERROR when none is left', async () => {
    const params = await roundTrip({
      KEYBOARD: [
        { TEXT: 'evil', LINK: jsLink },
        { TEXT: 'evil but commanded', LINK: jsLink, COMMAND: 'help' },
        { LINK: 'https://example.com/' },
        { TEXT: '  ', COMMAND: 'x' },
        { TEXT: 'Bad action', ACTION: 'RUN', ACTION_VALUE: 'rm' },
        { TEXT: 'No value', ACTION: 'PUT' },
        { TEXT: 'Bad colours', COMMAND: 'ok', BG_COLOR: 'red', TEXT_COLOR: '#12345', WIDTH: 'wide', DISPLAY: 'FLOAT' },
        { TEXT: 'Script', FUNCTION: 'alert(1)' },
      ],
    });
    assert.deepEqual(params.KEYBOARD, [
      { BOT_ID: botId, TYPE: 'BUTTON', COMMAND: 'help', COMMAND_PARAMS: '', TEXT: 'evil but commanded', BLOCK: 'N', CONTEXT: 'ALL', DISABLED: 'N', DISPLAY: 'BLOCK' },
      { BOT_ID: botId, TYPE: 'BUTTON', COMMAND: 'ok', COMMAND_PARAMS: '', TEXT: 'Bad colours', BLOCK: 'N', CONTEXT: 'ALL', DISABLED: 'N', DISPLAY: 'BLOCK' },
    ]);
    expectError(await botSend({ KEYBOARD: [{ TEXT: 'evil', LINK: jsLink }] }), 400, 'KEYBOARD_ERROR');
    expectError(await botSend({ KEYBOARD: [{ TEXT: 'data', LINK: 'data:text/html,<script>alert(1)</script>' }] }), 400, 'KEYBOARD_ERROR');
    expectError(await botSend({ KEYBOARD: [{ TYPE: 'NEWLINE' }, { TYPE: 'NEWLINE' }] }), 400, 'KEYBOARD_ERROR');
    expectError(await botSend({ KEYBOARD: { BUTTONS: [{ TEXT: 'nothing to do' }] } }, 'json'), 400, 'KEYBOARD_ERROR');
    expectError(await botSend({ KEYBOARD: { TEXT: 'a bare button', COMMAND: 'x' } }, 'json'), 400, 'KEYBOARD_ERROR');
  });

  test('above 30 KB is KEYBOARD_OVERSIZE', async () => {
    const buttons = Array.from({ length: 150 }, (_, i) => ({ TEXT: `${i} ${'b'.repeat(200)}`, COMMAND: 'page', COMMAND_PARAMS: String(i) }));
    expectError(await botSend({ KEYBOARD: buttons }, 'json'), 400, 'KEYBOARD_OVERSIZE');
  });

  test('an edit with KEYBOARD N or an empty value removes the keyboard', async () => {
    const id = expectOk(await botSend({ KEYBOARD: [{ TEXT: 'Yes', COMMAND: 'yes' }] }));
    const update = (p: Record<string, unknown>) => restForm(rest, 'imbot.message.update', { auth: token, BOT_ID: botId, MESSAGE_ID: id, ...p });
    assert.equal(expectOk(await update({ KEYBOARD: [{ TEXT: 'No', COMMAND: 'no' }] })), true);
    assert.equal((await stored(id)).KEYBOARD[0].COMMAND, 'no');
    assert.equal(expectOk(await update({ KEYBOARD: 'N' })), true);
    assert.equal((await stored(id)).KEYBOARD, undefined);
    assert.equal(expectOk(await update({ KEYBOARD: [{ TEXT: 'Again', COMMAND: 'again' }] })), true);
    assert.equal(expectOk(await update({ KEYBOARD: '' })), true);
    assert.equal((await stored(id)).KEYBOARD, undefined);
  });
});

describe('MENU', () => {
  const menu = [
    { TEXT: 'Bitrix24', LINK: 'http://bitrix24.com' },
    { TEXT: 'Echo', COMMAND: 'echo', COMMAND_PARAMS: 'test from menu' },
    { TEXT: 'Open app', APP_ID: '12', APP_PARAMS: 'TEST' },
    { TEXT: 'Copy', ACTION: 'COPY', ACTION_VALUE: 'text', DISABLED: 'Y', CONTEXT: 'DESKTOP' },
    { TYPE: 'NEWLINE' },
  ];

  test('items of every kind, as {ITEMS}, {BUTTONS} or a list', async () => {
    const items = [
      { BOT_ID: botId, LINK: 'http://bitrix24.com', TEXT: 'Bitrix24', CONTEXT: 'ALL', DISABLED: 'N' },
      { BOT_ID: botId, COMMAND: 'echo', COMMAND_PARAMS: 'test from menu', TEXT: 'Echo', CONTEXT: 'ALL', DISABLED: 'N' },
      { BOT_ID: botId, APP_ID: 12, APP_PARAMS: 'TEST', TEXT: 'Open app', CONTEXT: 'ALL', DISABLED: 'N' },
      { BOT_ID: botId, ACTION: 'COPY', ACTION_VALUE: 'text', TEXT: 'Copy', CONTEXT: 'DESKTOP', DISABLED: 'Y' },
    ];
    assert.deepEqual((await roundTrip({ MENU: menu })).MENU, items);
    assert.deepEqual((await roundTrip({ MENU: { ITEMS: menu } }, 'json')).MENU, items);
    assert.deepEqual((await roundTrip({ MENU: JSON.stringify({ BUTTONS: menu }) })).MENU, items);
  });

  test('invalid items are dropped; MENU_ERROR when none is left; MENU_OVERSIZE above 30 KB', async () => {
    const params = await roundTrip({ MENU: [{ TEXT: 'evil', LINK: jsLink }, { TEXT: 'fine', ACTION: 'SEND', ACTION_VALUE: 'ok' }] });
    assert.deepEqual(params.MENU, [{ BOT_ID: botId, ACTION: 'SEND', ACTION_VALUE: 'ok', TEXT: 'fine', CONTEXT: 'ALL', DISABLED: 'N' }]);
    expectError(await botSend({ MENU: [{ TEXT: 'evil', LINK: jsLink }] }), 400, 'MENU_ERROR');
    expectError(await botSend({ MENU: [{ TYPE: 'NEWLINE' }] }), 400, 'MENU_ERROR');
    expectError(await botSend({ MENU: { ITEMS: [{ LINK: 'https://example.com/' }] } }, 'json'), 400, 'MENU_ERROR');
    const items = Array.from({ length: 150 }, (_, i) => ({ TEXT: `${i} ${'m'.repeat(200)}`, COMMAND: 'item' }));
    expectError(await botSend({ MENU: items }, 'json'), 400, 'MENU_OVERSIZE');
  });

  test('ATTACH, KEYBOARD and MENU together on one message', async () => {
    const params = await roundTrip({ ATTACH: [{ MESSAGE: 'card' }], KEYBOARD: [{ TEXT: 'K', COMMAND: 'k' }], MENU: [{ TEXT: 'M', COMMAND: 'm' }] });
    assert.deepEqual(Object.keys(params).sort(), ['ATTACH', 'KEYBOARD', 'MENU']);
  });
});
