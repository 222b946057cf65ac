/**
 * The access-control matrix (issue 8), generated from the method registry: every registered method
 * must declare `access` (what it acts on), and gets the cells its kind implies — caller (member,
 * non-member, webhook without the method's scope, bot of the app, bot of another app, admin with and
 * without the admin scope, the admin's app token) × target (private dialog, closed chat, open chat,
 * a message or file of a chat the caller is not in) — each with its expected answer: success, or the
 * method's documented refusal with its HTTP status. One portal and shared fixtures; a success cell
 * gets fresh targets, so methods that leave or delete do not disturb the others.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restForm } from './helpers/portal.ts';
import { portalSuite, type TestPortal } from './helpers/suite.ts';
import { namesTarget, samples, type Sample, type Targets } from './helpers/access-samples.ts';
import { allMethods, methodScopes, type Access, type MethodDef } from '../src/rest/registry.ts';
import { ERRORS, type ErrorCode } from '../src/errors.ts';
import { ADMIN_SCOPE, createApp, createWebhook, KNOWN_SCOPES } from '../src/domain/apps.ts';
import { mintToken } from '../src/auth/tokens.ts';
import { webToken } from '../src/domain/web-app.ts';
import type { App } from '../src/domain/types.ts';
import { createLine } from '../src/domain/lines/lines.ts';
import { connector, customerSays } from './helpers/lines.ts';

const KINDS: Access[] = ['none', 'self', 'portal', 'dialog', 'read', 'message', 'file', 'bot', 'app', 'admin', 'settings', 'line', 'linebot', 'appadmin', 'messenger', 'botv2', 'console'];
const ANNA = 2;
const IVAN = 3;
const MARIA = 4;

/** A caller: where its REST calls go (a webhook base, or the REST root with a token). */
interface Caller { base: string; auth?: string; name: string }

let portal: TestPortal;
let rest: string;
const hooks: Record<string, Caller> = {};
let xAnna: Caller;
let yAnna: Caller;
let adminApp: Caller;
/** Anna's tokens of an open-line connector app (scopes imopenlines, imconnector) and of another one (imconnector). */
let cAnna: Caller;
let dAnna: Caller;
/** The connector app's line, with its connector `matrix_conn` switched on and a customer (`muser` in `mchat`) who wrote `m0`. */
let olLine = 0;
let bx: number;
/** App X's Chatbots 2.0 bot, a member of the closed chat C. */
let bv2: number;
let cmdX: number;
/** The sample call of every method (test/helpers/access-samples.ts), once the bot and its command exist. */
let SAMPLES: Record<string, Sample>;
/** Shared targets: anna's closed chat C, the open chat O, anna–ivan's private dialog P, ivan–maria's Z, maria's own M, the admin's own A;
 * H, anna's chat maria and the bot joined with HIDE_HISTORY after its messages; L, a chat anna left after writing in it. */
const T: Record<'C' | 'O' | 'P' | 'Z' | 'M' | 'A' | 'H' | 'L' | 'LN', Targets> = {} as never;
let seq = 0;
/** Open lines: LN, a line chat of line `lineA` (anna and ivan its operators) offered to anna; `lineB` has app Z's bot bz as its welcome bot. */
let lineA = 0;
let lineB = 0;
let zAnna: Caller;
let wAnna: Caller;
let conn: Awaited<ReturnType<typeof connector>>;
/** A placement app P (placement, im): its administrator's and Anna's tokens; the web messenger's sessions of Anna and Maria; P's textarea binding. */
let pAdmin: Caller;
let pAnna: Caller;
let annaWeb: Caller;
let mariaWeb: Caller;
/** The administrator's own messenger session: the developer console. */
let adminWeb: Caller;
let placementId = 0;

/** A fresh line chat: a new customer writes to `lineId` (its session offered to anna, or handled by the line's bot). */
async function freshLine(lineId: number): Promise<Targets> {
  const got = await customerSays(portal, conn, lineId, `c${++seq}`, `customer ${seq}`);
  return { chat: got.chat.id, entity: '', msg: got.message.id, botMsg: 0, cmdMsg: 0, file: 0, folder: 0, upload: 0, notify: 0, session: got.session.id, code: got.chat.entity_id };
}

async function call(c: Caller, method: string, params: Record<string, unknown>): Promise<{ status: number; body: any }> {
  return restForm(c.base, method, c.auth ? { ...params, auth: c.auth } : params);
}

async function ok(c: Caller, method: string, params: Record<string, unknown>): Promise<any> {
  const res = await call(c, method, params);
  assert.equal(res.status, 200, `${c.name} ${method} ${JSON.stringify(params)}: ${JSON.stringify(res.body)}`);
  return res.body.result;
}

const ALL_SCOPES = KNOWN_SCOPES.filter((s) => s !== ADMIN_SCOPE);

async function hook(userId: number, scopes: string[], name: string): Promise<Caller> {
  const code = await createWebhook(portal.portal.db, userId, scopes);
  return { base: `${portal.url}/rest/${userId}/${code}/`, name };
}

async function appToken(app: App, userId: number, name: string): Promise<Caller> {
  const t = await mintToken(portal.portal, portal.portal.db, app, userId);
  return { base: rest, auth: t.access_token, name };
}

async function upload(c: Caller, folder: number): Promise<number> {
  const up = await ok(c, 'disk.folder.uploadfile', { id: folder, data: { NAME: `f${++seq}.txt` }, fileContent: [`f${seq}.txt`, Buffer.from('hello').toString('base64')] });
  return Number(up.ID);
}

/** Fill a chat with what calls name: a message of `who`, the bot's keyboard message, a command call, a file, a notification. */
async function furnish(chat: number, entity: string, who: Caller, opts: { bot: boolean; files: boolean; notify?: boolean }): Promise<Targets> {
  const dialog = `chat${chat}`;
  const msg = await ok(who, 'im.message.add', { DIALOG_ID: dialog, MESSAGE: `message ${++seq}` });
  let botMsg = 0;
  let cmdMsg = 0;
  if (opts.bot) {
    botMsg = await ok(xAnna, 'imbot.message.add', { BOT_ID: bx, DIALOG_ID: dialog, MESSAGE: 'pick', KEYBOARD: [{ TEXT: 'Go', COMMAND: 'cx', COMMAND_PARAMS: '1' }] });
    cmdMsg = await ok(who, 'im.message.add', { DIALOG_ID: dialog, MESSAGE: '/cx now' });
  }
  let file = 0;
  let folder = 0;
  let up = 0;
  if (opts.files) {
    folder = Number((await ok(who, 'im.disk.folder.get', { CHAT_ID: chat })).ID);
    const posted = await ok(who, 'im.disk.file.commit', { CHAT_ID: chat, UPLOAD_ID: await upload(who, folder) });
    file = Number(posted.DISK_ID[0]);
    up = await upload(who, folder);
  }
  const notify = opts.notify === false ? 0 : await ok(hooks.admin, 'im.notify.personal.add', { USER_ID: ANNA, MESSAGE: `note ${seq}` });
  return { chat, entity, msg, botMsg, cmdMsg, file, folder, upload: up, notify };
}

/** Fresh targets for a success cell: a closed chat of anna (or, for bot methods, of the bot) with ivan and the bot. */
async function fresh(kind: Access, files: boolean, bot: boolean): Promise<Targets> {
  const entity = `fresh${++seq}`;
  const chat = kind === 'bot'
    ? await ok(xAnna, 'imbot.chat.add', { BOT_ID: bx, USERS: [ANNA, IVAN], TITLE: `Bot chat ${seq}`, COLOR: 'MINT', ENTITY_TYPE: 'MX', ENTITY_ID: entity })
    // The v2 bot too: im.v2.Chat.Bot.sendContext needs one in the dialog to tell.
    : await ok(hooks.anna, 'im.chat.add', { USERS: [IVAN, bx, bv2], TITLE: `Chat ${seq}`, COLOR: 'MINT', ENTITY_TYPE: 'MX', ENTITY_ID: entity });
  return furnish(chat, entity, hooks.anna, { bot, files, notify: false });
}

/**
 * Methods whose call consumes an id made for it (unregister, uninstall, delete): the sample is built
 * here from a fresh thing, for the success cell and the refusals alike.
 */
/** The network code of a new open line with Anna in its queue. */
async function networkCode(): Promise<string> {
  const id = await ok(hooks.admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: `Network ${++seq}`, QUEUE: [ANNA] } });
  return (await ok(hooks.admin, 'imopenlines.config.get', { CONFIG_ID: id })).NETWORK_CODE;
}

/** A message the v2 bot writes in the closed chat C. */
async function v2Message(): Promise<number> {
  return (await ok(xAnna, 'imbot.v2.Chat.Message.send', { botId: bv2, dialogId: `chat${T.C.chat}`, fields: { message: `v2 ${++seq}` } })).id;
}

/** A new command of the v2 bot. */
async function v2Command(): Promise<{ id: number; word: string }> {
  const word = `v2w${++seq}`;
  return { id: (await ok(xAnna, 'imbot.v2.Command.register', { botId: bv2, fields: { command: word, title: { en: 'W' } } })).command.id, word };
}

/** A group chat of the v2 bot's own (its owner), with anna and ivan, named by dialogId. */
async function v2Chat(): Promise<string> {
  return (await ok(xAnna, 'imbot.v2.Chat.add', { botId: bv2, fields: { title: `v2 own ${++seq}`, userIds: [ANNA, IVAN] } })).chat.dialogId;
}

let v2Supervisor = 0;
/** A supervisor v2 bot of the app in C (made once): the type that may fetch messages. */
async function v2Reader(): Promise<number> {
  if (v2Supervisor) return v2Supervisor;
  v2Supervisor = (await ok(xAnna, 'imbot.v2.Bot.register', { fields: { code: 'bv2sup', type: 'supervisor', properties: { name: 'SUP' } } })).bot.id;
  await ok(xAnna, 'imbot.v2.Chat.User.add', { botId: bv2, dialogId: `chat${T.C.chat}`, userIds: [v2Supervisor] });
  return v2Supervisor;
}

const MAKERS: Record<string, () => Promise<Record<string, unknown>>> = {
  'imbot.v2.Chat.Message.get': async () => ({ botId: await v2Reader(), messageId: await v2Message() }),
  'imbot.v2.Chat.Message.getContext': async () => ({ botId: await v2Reader(), messageId: await v2Message(), range: 2 }),
  // Anna's new message in C, for the v2 bot to react to.
  'imbot.v2.Chat.Message.Reaction.add': async () => ({ botId: bv2, messageId: await ok(hooks.anna, 'im.message.add', { DIALOG_ID: `chat${T.C.chat}`, MESSAGE: `r ${++seq}` }), reaction: 'like' }),
  // …and one the v2 bot reacted to, for it to take back (a reaction not set is REACTION_NOT_FOUND).
  'imbot.v2.Chat.Message.Reaction.delete': async () => {
    const messageId = await ok(hooks.anna, 'im.message.add', { DIALOG_ID: `chat${T.C.chat}`, MESSAGE: `r ${++seq}` });
    await ok(xAnna, 'imbot.v2.Chat.Message.Reaction.add', { botId: bv2, messageId, reaction: 'fire' });
    return { botId: bv2, messageId, reaction: 'fire' };
  },
  // A chat the v2 bot owns, for what changes members, managers and the owner.
  'imbot.v2.Chat.leave': async () => ({ botId: bv2, dialogId: await v2Chat() }),
  'imbot.v2.Chat.setOwner': async () => ({ botId: bv2, dialogId: await v2Chat(), userId: ANNA }),
  'imbot.v2.Chat.User.add': async () => ({ botId: bv2, dialogId: await v2Chat(), userIds: [1] }),
  'imbot.v2.Chat.User.delete': async () => ({ botId: bv2, dialogId: await v2Chat(), userId: IVAN }),
  'imbot.v2.Chat.Manager.add': async () => ({ botId: bv2, dialogId: await v2Chat(), userIds: [ANNA] }),
  'imbot.v2.Chat.Manager.delete': async () => ({ botId: bv2, dialogId: await v2Chat(), userIds: [ANNA] }),
  'imbot.unregister': async () => ({ BOT_ID: await ok(xAnna, 'imbot.register', SAMPLES['imbot.register']({} as Targets)!) }),
  // A message of the v2 bot in C to change, and a v2 bot to remove.
  'imbot.v2.Chat.Message.update': async () => ({ botId: bv2, messageId: await v2Message(), fields: { message: `v2 edit ${++seq}` } }),
  'imbot.v2.Chat.Message.delete': async () => ({ botId: bv2, messageId: await v2Message() }),
  // A command of the v2 bot (answered in C, where anna typed it).
  'imbot.v2.Command.update': async () => ({ botId: bv2, commandId: (await v2Command()).id, fields: { hidden: true } }),
  'imbot.v2.Command.unregister': async () => ({ botId: bv2, commandId: (await v2Command()).id }),
  'imbot.v2.Command.answer': async () => {
    const { id, word } = await v2Command();
    const messageId = await ok(hooks.anna, 'im.message.add', { DIALOG_ID: `chat${T.C.chat}`, MESSAGE: `/${word} now` });
    return { botId: bv2, commandId: id, messageId, dialogId: `chat${T.C.chat}`, fields: { message: 'v2 answer' } };
  },
  'imbot.v2.Bot.unregister': async () => ({ botId: (await ok(xAnna, 'imbot.v2.Bot.register', SAMPLES['imbot.v2.Bot.register']({} as Targets)!)).bot.id }),
  'imbot.command.unregister': async () => ({ COMMAND_ID: await ok(xAnna, 'imbot.command.register', SAMPLES['imbot.command.register']({} as Targets)!) }),
  'imbot.app.unregister': async () => ({ APP_ID: await ok(xAnna, 'imbot.app.register', SAMPLES['imbot.app.register']({} as Targets)!) }),
  'parley.app.install': async () => ({ ID: (await ok(hooks.admin, 'parley.app.add', SAMPLES['parley.app.add']({} as Targets)!)).id }),
  'parley.app.reinstall': async () => ({ ID: (await ok(hooks.admin, 'parley.app.add', { ...SAMPLES['parley.app.add']({} as Targets)!, INSTALL: 'Y' })).id }),
  'parley.app.uninstall': async () => ({ ID: (await ok(hooks.admin, 'parley.app.add', { ...SAMPLES['parley.app.add']({} as Targets)!, INSTALL: 'Y' })).id }),
  'parley.webhook.delete': async () => ({ ID: (await ok(hooks.admin, 'parley.webhook.add', { USER_ID: IVAN, SCOPE: 'im' })).id }),
  'parley.testevent.list': async () => ({ APP_ID: (await ok(hooks.admin, 'parley.app.add', { ...SAMPLES['parley.app.add']({} as Targets)!, INSTALL: 'Y' })).id }),
  // An open line made for the call (config.delete consumes it; get and update name a real one).
  'imopenlines.config.get': async () => ({ CONFIG_ID: await ok(hooks.admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: `Line ${++seq}` } }) }),
  'imopenlines.config.update': async () => ({ CONFIG_ID: await ok(hooks.admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: `Line ${++seq}` } }), PARAMS: { QUEUE_TIME: 90 } }),
  'imopenlines.config.delete': async () => ({ CONFIG_ID: await ok(hooks.admin, 'imopenlines.config.add', { PARAMS: { LINE_NAME: `Line ${++seq}` } }) }),
  // A network line (Anna is its operator, so she may write as it) named by its code.
  'imopenlines.network.join': async () => ({ CODE: await networkCode() }),
  'imopenlines.network.message.add': async () => ({ CODE: await networkCode(), USER_ID: IVAN, MESSAGE: 'Our office moves on Monday' }),
  'imconnector.unregister': async () => {
    const ID = `mx${++seq}`;
    await ok(cAnna, 'imconnector.register', { ...SAMPLES['imconnector.register']({} as Targets)!, ID });
    return { ID };
  },
  'imconnector.delete.messages': async () => {
    const id = `md${++seq}`;
    await ok(cAnna, 'imconnector.send.messages', { CONNECTOR: 'matrix_conn', LINE: olLine, MESSAGES: [{ user: { id: 'muser' }, message: { id, text: 'to delete' }, chat: { id: 'mchat' } }] });
    return { CONNECTOR: 'matrix_conn', LINE: olLine, MESSAGES: [{ user: { id: 'muser' }, message: { id }, chat: { id: 'mchat' } }] };
  },
  // Intercept takes a session someone else (ivan) has.
  'imopenlines.session.intercept': async () => {
    const t = await freshLine(lineA);
    await ok(hooks.ivan, 'imopenlines.operator.answer', { CHAT_ID: t.chat });
    return { CHAT_ID: t.chat };
  },
  // A frame Anna's messenger opened: only her session may refresh its tokens.
  'parley.placement.auth': async () => ({ APP_SID: (await ok(annaWeb, 'parley.placement.launch', { ID: placementId, DIALOG_ID: `chat${T.C.chat}` })).appSid }),
  'parley.placement.application': async () => ({ APP_SID: (await ok(annaWeb, 'parley.placement.launch', { ID: placementId, DIALOG_ID: `chat${T.C.chat}` })).appSid }),
  // A person made for the call: a new password ends their sessions, so never one the matrix signs in with.
  'parley.user.password.set': async () => ({ ID: await ok(hooks.admin, 'parley.user.add', SAMPLES['parley.user.add']({} as Targets)!), PASSWORD: `a-new-password-${++seq}` }),
  'parley.testevent.send': async () => ({
    APP_ID: (await ok(hooks.admin, 'parley.app.add', { ...SAMPLES['parley.app.add']({} as Targets)!, INSTALL: 'Y' })).id, EVENT: 'ONAPPUPDATE',
  }),
};

/**
 * Answers a kind's rule does not predict, each documented: adding users to an open chat one is not
 * in is WRONG_REQUEST ("can't add"), not ACCESS_ERROR; GIPHY answers SERVICE_UNAVAILABLE without a key.
 */
const EXCEPTIONS: Record<string, Expect> = {
  'im.chat.user.add | non-member | open chat': 'WRONG_REQUEST',
  'imbot.Giphy.list | member | fresh': 'SERVICE_UNAVAILABLE',
  'imbot.Giphy.listPopular | member | fresh': 'SERVICE_UNAVAILABLE',
  // Bot.get answers anyone with the brief Bot object (bot-get.md); its owner gets the extended one.
  'imbot.v2.Bot.get | bot of another app | v2 bot of another app': 'ok',
  'imbot.v2.Bot.get | member | webhook with a wrong botToken': 'ok',
  // Parley has no CRM: imopenlines.crm.* answer the documented "no such CRM object" errors to everyone.
  'imopenlines.crm.chat.get | member | fresh': 'ACCESS_DENIED',
  'imopenlines.crm.chat.getLastId | member | fresh': 'CRM_CHAT_EMPTY_CRM_DATA',
  'imopenlines.crm.chat.user.add | member | fresh': 'ACCESS_DENIED',
  'imopenlines.crm.chat.user.delete | member | fresh': 'ACCESS_DENIED',
  'imopenlines.crm.message.add | member | fresh': 'ACCESS_DENIED',
  'imopenlines.crm.lead.create | member | fresh': 'ACCESS_DENIED',
};

/**
 * Another connector app naming this app's connector (`matrix_conn`): registering over it or
 * unregistering it fails inside the result (HTTP 200), acting through it is IMCONNECTOR_NO_CORRECT_PROVIDER.
 */
const OTHER_CONNECTOR: Record<string, ErrorCode> = {
  'imconnector.register': 'APPLICATION_REGISTRATION_ERROR', 'imconnector.unregister': 'APPLICATION_UNREGISTRATION_ERROR',
};

/** What a cell expects: success, or a catalogued error (its status from the catalogue), or a documented false/null. */
type Expect = 'ok' | ErrorCode | false | null;

/** The refusal a method gives a caller without access to its target. */
function refusal(m: MethodDef): Expect {
  return m.denied !== undefined ? m.denied : 'ACCESS_ERROR';
}

let cells: { method: string; caller: string; target: string; expect: Expect; got: string; pass: boolean }[] = [];

async function cell(m: MethodDef, c: Caller, target: string, params: Record<string, unknown> | undefined, expect: Expect): Promise<void> {
  if (params === undefined) return;
  const key = `${m.name} | ${c.name} | ${target}`;
  if (key in EXCEPTIONS) expect = EXCEPTIONS[key];
  const res = await call(c, m.name, params);
  // imconnector.register / unregister answer their failures inside the result, with HTTP 200.
  const error = res.body?.error ?? (res.body?.result?.result === false ? res.body.result.error : undefined);
  const got = error ? `${res.status} ${error}` : `${res.status} ${JSON.stringify(res.body?.result)?.slice(0, 80)}`;
  let pass: boolean;
  if (expect === 'ok') pass = res.status === 200 && error === undefined;
  else if (expect === false || expect === null) pass = res.status === 200 && res.body?.result === expect;
  else pass = error === expect && res.status === ERRORS[expect][0];
  cells.push({ method: m.name, caller: c.name, target, expect, got, pass });
}

// A bot, a command or a chat app (APP_ID of imbot.app.*) of the calling app.
const namesBot = (p: Record<string, unknown> | undefined) => !!p && ('BOT_ID' in p || 'COMMAND_ID' in p || 'APP_ID' in p);

// On both stores: the checks are in SQL as much as in code (membership, history, command calls).
for (const dialect of ['sqlite', 'postgres'] as const) {
describe(`access matrix on ${dialect}`, () => {
let skip: string | undefined;

before(async () => {
  const suite = await portalSuite(dialect, { eventAttempts: 1 });
  if ('skip' in suite) return void (skip = suite.skip);
  cells = [];
  portal = suite;
  rest = `${portal.url}/rest/`;
  hooks.anna = await hook(ANNA, ALL_SCOPES, 'member');
  hooks.maria = await hook(MARIA, ALL_SCOPES, 'non-member');
  hooks.ivan = await hook(IVAN, ALL_SCOPES, 'ivan');
  hooks.admin = await hook(1, [...ALL_SCOPES, ADMIN_SCOPE], 'admin');
  hooks.adminNoScope = await hook(1, ALL_SCOPES, 'admin without the admin scope');
  hooks.annaAdminScope = await hook(ANNA, [...ALL_SCOPES, ADMIN_SCOPE], 'non-admin with the admin scope');
  const db = portal.portal.db;
  const mkApp = async (name: string, scopes = ['imbot', 'im']) => {
    const a = await createApp(db, { name, handlerUrl: 'http://127.0.0.1:9/app', scopes, installUserId: 1 });
    await db.updateTable('apps').set({ installed: 1 }).where('id', '=', a.id).execute();
    return { ...a, installed: 1 };
  };
  const [appX, appY] = [await mkApp('X'), await mkApp('Y')];
  xAnna = await appToken(appX, ANNA, 'bot of the app');
  yAnna = await appToken(appY, ANNA, 'bot of another app');
  adminApp = await appToken(appX, 1, "admin's app token (imbot,im)");
  bx = await ok(xAnna, 'imbot.register', { CODE: 'bx', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'BX' } });
  await ok(yAnna, 'imbot.register', { CODE: 'by', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'BY' } });
  // COMMON: it answers in chats its bot is not in, which is what the probe abused (issue 8, finding 5).
  cmdX = await ok(xAnna, 'imbot.command.register', { BOT_ID: bx, COMMAND: 'cx', COMMON: 'Y', EVENT_COMMAND_ADD: 'http://127.0.0.1:9/c', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'CX' }] });
  // An open-line connector app with its connector on a line and one customer's message, and another connector app.
  olLine = await createLine(db, 1, { name: 'Matrix line', queue: [{ type: 'user', id: IVAN }] });
  cAnna = await appToken(await mkApp('C', ['imopenlines', 'imconnector']), ANNA, 'connector app');
  dAnna = await appToken(await mkApp('D', ['imconnector']), ANNA, 'another connector app');
  // X's IFRAME chat app, offered in every dialog (parley.chatapp.launch opens it).
  const chatApp = await ok(xAnna, 'imbot.app.register', { BOT_ID: bx, CODE: 'cax', IFRAME: 'https://apps.example.test/f', HASH: 'h', CONTEXT: 'ALL', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'CAX' }] });
  // A placement app with a textarea binding for every dialog; the messenger's sessions.
  const placementApp = await mkApp('P', ['placement', 'im']);
  pAdmin = await appToken(placementApp, 1, "placement app's administrator");
  pAnna = await appToken(placementApp, ANNA, 'placement app of a non-admin');
  annaWeb = { base: rest, auth: (await webToken(portal.portal, ANNA)).access_token, name: "member's messenger" };
  mariaWeb = { base: rest, auth: (await webToken(portal.portal, MARIA)).access_token, name: "non-member's messenger" };
  adminWeb = { base: rest, auth: (await webToken(portal.portal, 1)).access_token, name: "administrator's messenger (the console)" };
  await ok(pAdmin, 'placement.bind', { PLACEMENT: 'IM_TEXTAREA', HANDLER: 'https://apps.example.com/matrix', OPTIONS: { iconName: 'fa-cloud' } });
  placementId = Number((await portal.portal.db.selectFrom('placements').select('id').where('app_id', '=', placementApp.id).executeTakeFirstOrThrow()).id);
  bv2 = (await ok(xAnna, 'imbot.v2.Bot.register', { fields: { code: 'bv2', properties: { name: 'BV2' } } })).bot.id;
  v2Supervisor = 0;
  SAMPLES = samples(bx, cmdX, olLine, chatApp, placementId, bv2);
  await ok(cAnna, 'imconnector.register', { ...SAMPLES['imconnector.register']({} as Targets)!, ID: 'matrix_conn' });
  await ok(cAnna, 'imconnector.activate', { CONNECTOR: 'matrix_conn', LINE: olLine, ACTIVE: 'Y' });
  await ok(cAnna, 'imconnector.send.messages', { CONNECTOR: 'matrix_conn', LINE: olLine, MESSAGES: [{ user: { id: 'muser' }, message: { id: 'm0', text: 'hello' }, chat: { id: 'mchat' } }] });
  // Anna's closed chat C and open chat O (with the bot), anna–ivan's private dialog P, ivan–maria's private dialog Z, maria's closed chat M.
  const C = await ok(hooks.anna, 'im.chat.add', { USERS: [IVAN, bx, bv2], TITLE: 'Closed', ENTITY_TYPE: 'MX', ENTITY_ID: 'C' });
  const O = await ok(hooks.anna, 'im.chat.add', { USERS: [bx], TITLE: 'Open', TYPE: 'OPEN', ENTITY_TYPE: 'MX', ENTITY_ID: 'O' });
  await ok(hooks.anna, 'im.message.add', { DIALOG_ID: IVAN, MESSAGE: 'between anna and ivan' });
  const P = Number((await ok(hooks.anna, 'im.dialog.get', { DIALOG_ID: IVAN })).id);
  await ok(hooks.ivan, 'im.message.add', { DIALOG_ID: MARIA, MESSAGE: 'between ivan and maria' });
  const Z = Number((await ok(hooks.ivan, 'im.dialog.get', { DIALOG_ID: MARIA })).id);
  const M = await ok(hooks.maria, 'im.chat.add', { USERS: [IVAN], TITLE: 'Maria', ENTITY_TYPE: 'MX', ENTITY_ID: 'M' });
  T.C = await furnish(C, 'C', hooks.anna, { bot: true, files: true });
  T.O = await furnish(O, 'O', hooks.anna, { bot: true, files: true });
  T.P = await furnish(P, '', hooks.anna, { bot: false, files: true });
  T.Z = await furnish(Z, '', hooks.ivan, { bot: false, files: true });
  T.M = await furnish(M, 'M', hooks.maria, { bot: false, files: true });
  const A = await ok(hooks.admin, 'im.chat.add', { USERS: [IVAN], TITLE: 'Admin', ENTITY_TYPE: 'MX', ENTITY_ID: 'A' });
  T.A = await furnish(A, 'A', hooks.admin, { bot: false, files: false });
  const H = await ok(hooks.anna, 'im.chat.add', { USERS: [IVAN], TITLE: 'Hidden history' });
  T.H = await furnish(H, '', hooks.anna, { bot: false, files: false });
  // A keyboard of the bot on a message written before the newcomers came.
  T.H.botMsg = await ok(hooks.anna, 'im.message.add', { DIALOG_ID: `chat${H}`, MESSAGE: 'pick', BOT_ID: bx, KEYBOARD: [{ TEXT: 'Go', COMMAND: 'cx', COMMAND_PARAMS: '1', BOT_ID: bx }] });
  await ok(hooks.anna, 'im.chat.user.add', { CHAT_ID: H, USERS: [MARIA, bx], HIDE_HISTORY: 'Y' });
  const L = await ok(hooks.ivan, 'im.chat.add', { USERS: [ANNA, bx], TITLE: 'Left' });
  T.L = await furnish(L, '', hooks.anna, { bot: true, files: false });
  await ok(hooks.anna, 'im.chat.leave', { CHAT_ID: L });
  // Open lines: apps Z (its bot handles line B) and W (a bot of no line) with imopenlines; a connector; line A's chat LN.
  const lineApp = async (name: string) => {
    const a = await createApp(db, { name, handlerUrl: 'http://127.0.0.1:9/app', scopes: ['imbot', 'im', 'imopenlines'], installUserId: 1 });
    await db.updateTable('apps').set({ installed: 1 }).where('id', '=', a.id).execute();
    return { ...a, installed: 1 };
  };
  zAnna = await appToken(await lineApp('Z'), ANNA, 'line bot of the app');
  wAnna = await appToken(await lineApp('W'), ANNA, 'bot of another app (no line)');
  const bz = await ok(zAnna, 'imbot.register', { CODE: 'bz', TYPE: 'O', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'BZ' } });
  await ok(wAnna, 'imbot.register', { CODE: 'bw', TYPE: 'O', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'BW' } });
  conn = await connector(portal, `matrix_${dialect}`);
  lineA = await createLine(db, 1, { name: 'Matrix A', queue: [{ type: 'user', id: ANNA }, { type: 'user', id: IVAN }], params: { QUEUE_TYPE: 'strictly', QUEUE_TIME: 3600 } });
  lineB = await createLine(db, 1, { name: 'Matrix B', queue: [{ type: 'user', id: IVAN }], params: { WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: bz, WELCOME_BOT_TIME: 0, QUEUE_TIME: 3600 } });
  T.LN = await freshLine(lineA);
});

after(async () => {
  if (!skip) await portal?.close();
});

test('every registered method declares its access and has a sample call', (t) => {
  if (skip) return t.skip(skip);
  for (const m of allMethods()) {
    assert.ok(KINDS.includes(m.access), `${m.name} declares no access (one of ${KINDS.join(', ')})`);
    assert.ok(m.name in SAMPLES, `${m.name} has no sample call in the access matrix`);
  }
});

test('the access matrix: every method, caller and target', async (t) => {
  if (skip) return t.skip(skip);
  const started = Date.now();
  const without: Record<string, Caller> = {};
  for (const m of allMethods()) {
    const sample = SAMPLES[m.name];
    const made = MAKERS[m.name] ? await MAKERS[m.name]() : undefined;
    const on = (t: Targets) => made ?? sample(t);
    // The refusals run side by side (none of them may change anything); success comes after.
    const pending: Promise<void>[] = [];
    // Open-line methods name a line chat: their scope cells use LN.
    const base = m.access === 'line' || m.access === 'linebot' ? T.LN : T.C;
    // A webhook with every scope but the method's own (all of them, for a method any of several scopes admit).
    if (m.scope) {
      const own = methodScopes(m);
      without[own.join()] ??= await hook(m.scope === ADMIN_SCOPE ? 1 : ANNA, KNOWN_SCOPES.filter((s) => !own.includes(s)), `webhook without ${own.join(' or ')}`);
      pending.push(cell(m, without[own.join()], 'C', on(base), 'insufficient_scope'));
    }
    // The admin's token an app receives (scope imbot,im) never reaches more than imbot and im.
    if (m.scope && !['im', 'imbot'].includes(m.scope)) pending.push(cell(m, adminApp, 'C', on(base), 'insufficient_scope'));
    switch (m.access) {
      case 'dialog':
      case 'read':
        for (const [name, t] of [['closed chat', T.C], ['private dialog of others', T.P]] as const) {
          pending.push(cell(m, hooks.maria, name, on(t), refusal(m)));
          // An administrator is no member of other people's chats.
          pending.push(cell(m, adminApp, name, on(t), refusal(m)));
        }
        pending.push(cell(m, hooks.maria, 'open chat', on(T.O), m.access === 'read' ? 'ok' : refusal(m)));
        break;
      case 'message':
        // A message of a chat the caller is not in, named from a dialog of their own.
        pending.push(cell(m, hooks.maria, 'message of another chat', on({ ...T.M, msg: T.C.msg, botMsg: T.C.botMsg }), refusal(m)));
        pending.push(cell(m, hooks.anna, 'message of a private dialog of others', on({ ...T.C, msg: T.Z.msg, botMsg: T.Z.msg }), refusal(m)));
        pending.push(cell(m, adminApp, 'message of a private dialog of others', on({ ...T.A, msg: T.P.msg, botMsg: T.P.msg }), refusal(m)));
        // A member's hidden history (joined with HIDE_HISTORY), and a chat the caller (its author) has left.
        pending.push(cell(m, hooks.maria, 'message of hidden history', on(T.H), refusal(m)));
        pending.push(cell(m, hooks.anna, 'own message of a chat left', on({ ...T.C, msg: T.L.msg, botMsg: T.L.botMsg }), refusal(m)));
        break;
      case 'file':
        pending.push(cell(m, hooks.maria, 'file of another chat', on({ ...T.M, file: T.P.file, folder: T.P.folder }), refusal(m)));
        break;
      case 'bot': {
        const own = on(T.C);
        // Another app names this app's bot or command.
        if (namesBot(own)) pending.push(cell(m, yAnna, 'bot of another app', own, 'APP_ID_ERROR'));
        // A webhook names no app: it must say CLIENT_ID.
        if (namesBot(own)) pending.push(cell(m, hooks.anna, 'webhook without CLIENT_ID', own, 'ACCESS_DENIED'));
        // The bot acts only where it is a member, on messages it may see.
        if (!made && namesTarget(sample)) pending.push(cell(m, xAnna, 'dialog or message the bot is not in', on({ ...T.Z, cmdMsg: T.Z.msg, botMsg: T.C.msg }), refusal(m)));
        if (m.name === 'imbot.message.like') pending.push(cell(m, xAnna, 'message of hidden history', on(T.H), refusal(m)));
        break;
      }
      case 'app': {
        pending.push(cell(m, hooks.anna, 'webhook', on(T.C), m.denied !== undefined ? refusal(m) : 'WRONG_AUTH_TYPE'));
        // A connector app acts only on its own connectors.
        const own = on(T.C);
        if (own && ('CONNECTOR' in own || m.name in OTHER_CONNECTOR)) {
          const named = m.name in OTHER_CONNECTOR ? { ...own, ID: 'matrix_conn' } : own;
          pending.push(cell(m, dAnna, "another app's connector", named, OTHER_CONNECTOR[m.name] ?? 'IMCONNECTOR_NO_CORRECT_PROVIDER'));
        }
        break;
      }
      case 'botv2': {
        const own = on(T.C);
        // A webhook names its v2 bot with the botToken; an app its own bots only.
        if (own) pending.push(cell(m, hooks.anna, 'webhook without botToken', own, 'BOT_TOKEN_NOT_SPECIFIED'));
        if (own && 'botId' in own) {
          pending.push(cell(m, yAnna, 'v2 bot of another app', own, 'BOT_OWNERSHIP_ERROR'));
          pending.push(cell(m, hooks.anna, 'webhook with a wrong botToken', { ...own, botToken: 'wrong' }, 'BOT_OWNERSHIP_ERROR'));
        }
        // The bot writes only where it is a member, and changes only its own messages.
        if (m.name === 'imbot.v2.Chat.Message.send' || m.name === 'imbot.v2.File.upload') pending.push(cell(m, xAnna, 'dialog the bot is not in', on(T.Z), refusal(m)));
        if (m.name === 'imbot.v2.File.download') pending.push(cell(m, xAnna, 'file of a chat the bot is not in', on(T.Z), refusal(m)));
        // It changes only its own messages, and reads or reacts only to those of its chats.
        const reads = /^imbot\.v2\.Chat\.Message\.(get|Reaction)/.test(m.name);
        if (own && 'messageId' in own) pending.push(cell(m, xAnna, reads ? 'message of a chat the bot is not in' : "a member's message", { ...own, messageId: reads ? T.Z.msg : T.C.msg }, refusal(m)));
        break;
      }
      case 'line':
        // Someone who is neither the line's operator nor an administrator.
        pending.push(cell(m, hooks.maria, 'line chat of a line not hers', on(T.LN), refusal(m)));
        break;
      case 'linebot':
        pending.push(cell(m, wAnna, 'line chat the bot does not handle (another app)', on(T.LN), 'WRONG_CHAT'));
        pending.push(cell(m, zAnna, 'line chat no bot handles', on(T.LN), 'WRONG_CHAT'));
        pending.push(cell(m, hooks.anna, 'webhook without CLIENT_ID', on(T.LN), 'BOT_ID_ERROR'));
        break;
      case 'appadmin':
        pending.push(cell(m, hooks.anna, 'webhook', on(T.C), 'WRONG_AUTH_TYPE'));
        pending.push(cell(m, pAnna, 'app of a non-admin', on(T.C), 'ACCESS_DENIED'));
        break;
      case 'messenger':
        pending.push(cell(m, hooks.anna, 'webhook', on(T.C), 'WRONG_AUTH_TYPE'));
        pending.push(cell(m, xAnna, 'token of an app', on(T.C), 'WRONG_AUTH_TYPE'));
        if (!made && namesTarget(sample)) {
          pending.push(cell(m, mariaWeb, 'closed chat', on(T.C), 'ACCESS_ERROR'));
          pending.push(cell(m, mariaWeb, 'private dialog of others', on(T.P), 'ACCESS_ERROR'));
        }
        break;
      case 'console':
        // No token acts for the administrator here, however privileged; nor does another person's messenger.
        pending.push(cell(m, hooks.admin, "administrator's webhook (parley)", on(T.C), 'WRONG_AUTH_TYPE'));
        pending.push(cell(m, annaWeb, "non-admin's messenger", on(T.C), 'ACCESS_DENIED'));
        break;
      case 'admin':
        pending.push(cell(m, hooks.annaAdminScope, 'portal', on(T.C), 'ACCESS_DENIED'));
        pending.push(cell(m, hooks.adminNoScope, 'portal', on(T.C), 'insufficient_scope'));
        pending.push(cell(m, adminApp, 'portal', on(T.C), 'insufficient_scope'));
        break;
      case 'settings':
        // A non-administrator with every scope; the admin scope is not needed (the success cell below).
        pending.push(cell(m, hooks.anna, 'portal', on(T.C), refusal(m)));
        break;
      case 'self':
        if (m.denied !== undefined) pending.push(cell(m, hooks.maria, "another user's", on(T.C), refusal(m)));
        break;
      default:
        break;
    }
    await Promise.all(pending);
    // Success: the right caller on fresh targets.
    // The supervisor's rating is an administrator's (Parley has no supervisor role).
    const caller = m.access === 'admin' || m.name === 'imopenlines.session.head.vote' ? hooks.admin : m.access === 'settings' ? hooks.adminNoScope
      : m.access === 'appadmin' ? pAdmin : m.access === 'messenger' ? annaWeb : m.access === 'console' ? adminWeb : m.scope === 'placement' ? pAnna : m.access === 'app' && m.scope ? cAnna : m.access === 'bot' || m.access === 'botv2' || m.access === 'app' ? xAnna : m.access === 'linebot' ? zAnna : hooks.anna;
    // A bot leaves a chat it does not own (an owner hands it over first).
    const kind = m.name === 'imbot.chat.leave' ? 'dialog' : m.access;
    const targets = m.access === 'line' ? await freshLine(lineA) : m.access === 'linebot' ? await freshLine(lineB)
      : ['dialog', 'read', 'message', 'file', 'bot'].includes(m.access) ? await fresh(kind, m.access === 'file' || m.name === 'im.disk.file.commit', m.access === 'bot' || m.access === 'message') : T.C;
    await cell(m, caller, 'fresh', MAKERS[m.name] ? await MAKERS[m.name]() : sample(targets), 'ok');
  }
  // REPLY_ID names a message too: only one the caller sees, in the chat written to.
  const add = allMethods().find((m) => m.name === 'im.message.add')!;
  await cell(add, hooks.maria, 'REPLY_ID of hidden history', { DIALOG_ID: `chat${T.H.chat}`, MESSAGE: 're', REPLY_ID: T.H.msg }, 'REPLY_ACCESS_ERROR');
  await cell(add, hooks.anna, 'REPLY_ID of a private dialog of others', { DIALOG_ID: `chat${T.C.chat}`, MESSAGE: 're', REPLY_ID: T.Z.msg }, 'REPLY_ACCESS_ERROR');
  await cell(add, hooks.anna, 'REPLY_ID of another chat of hers', { DIALOG_ID: `chat${T.C.chat}`, MESSAGE: 're', REPLY_ID: T.P.msg }, 'REPLY_FROM_OTHER_CHAT_ERROR');
  // A file of a chat one cannot read is not posted into one's own chat (that would copy it out).
  const commit = allMethods().find((m) => m.name === 'im.disk.file.commit')!;
  await cell(commit, hooks.maria, 'file of another chat', { CHAT_ID: T.M.chat, FILE_ID: T.P.file }, 'SAVE_ERROR');
  const failed = cells.filter((c) => !c.pass);
  const methods = new Set(cells.map((c) => c.method));
  for (const m of allMethods()) assert.ok(methods.has(m.name), `${m.name} has no cell`);
  console.log(`access matrix on ${dialect}: ${cells.length} cells over ${methods.size} methods in ${Date.now() - started} ms`);
  assert.deepEqual(failed.map((c) => `${c.method} | ${c.caller} | ${c.target}: expected ${String(c.expect)}, got ${c.got}`), []);
});
});
}
