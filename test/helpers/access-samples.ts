/**
 * What a real call of each registered method looks like, for the access-control matrix
 * (test/access-matrix.test.ts): the parameters that name its targets and make it succeed for a
 * caller who may make it. A new method needs an entry here, or the matrix fails.
 */
import { makePng } from './png.ts';

const ANNA = 2;
const IVAN = 3;
const JOHN = 5;
const png = makePng(8, 8).toString('base64');
// Makes names, titles and codes unique across calls.
let seq = 0;

/** The parameters of one call on some targets; undefined when those targets cannot be named by it. */
export type Sample = (t: Targets) => Record<string, unknown> | undefined;

/** What a call names: a chat (and its DIALOG_ID), messages in it, a file, a folder, the bot's things. */
export interface Targets {
  chat: number;
  /** An entity the chat is bound to (im.chat.get finds chats by it); '' for a private dialog. */
  entity: string;
  msg: number;
  /** A message of the app's bot with a keyboard button of its command. */
  botMsg: number;
  /** A message in which the bot's command was called (typed). */
  cmdMsg: number;
  file: number;
  folder: number;
  /** An uploaded file not yet posted anywhere (im.disk.file.commit). */
  upload: number;
  notify: number;
  /** A line chat's session and USER_CODE (open-line targets only). */
  session?: number;
  code?: string;
}

/** A sample that names only line chats (targets with a session). */
const line = (f: (t: Targets) => Record<string, unknown>): Sample => (t) => (t.session ? f(t) : undefined);

/**
 * The parameters of a real call of each method on targets `t` (undefined when `t` cannot be named by
 * it: im.chat.get finds only bound group chats), for the app's bot `bx`, its command `cmdX` and its
 * IFRAME chat app `chatApp` (CONTEXT ALL), and the placement app's textarea binding `placement`.
 */
export function samples(bx: number, cmdX: number, olLine = 0, chatApp = 0, placement = 0, bv2 = 0): Record<string, Sample> {
  // The connector app's connector on its line (test/access-matrix.test.ts sets them up), and a status element.
  const on = { CONNECTOR: 'matrix_conn', LINE: olLine };
  const status = [{ im: { chat_id: 1, message_id: 1 }, message: { id: ['x'] }, chat: { id: 'mchat' } }];
  return {
    'batch': () => ({ cmd: { a: 'server.time' } }),
    'feature.get': () => ({ CODE: 'rest_auth_connector' }),
    'methods': () => ({}), 'scope': () => ({}), 'profile': () => ({}), 'user.current': () => ({}), 'server.time': () => ({}),
    'events': () => ({}), 'app.info': () => ({}), 'im.revision.get': () => ({}), 'im.notify.schema.get': () => ({}),
    'imbot.Giphy.list': () => ({ filter: { search: 'cat' } }), 'imbot.Giphy.listPopular': () => ({}),
    'im.counters.get': () => ({}), 'im.recent.get': () => ({}), 'im.recent.list': () => ({}), 'im.dialog.read.all': () => ({}),
    'im.notify.get': () => ({}), 'im.notify.history.search': () => ({ SEARCH_TEXT: 'note' }),
    'im.notify.read': (t) => ({ ID: t.notify }), 'im.notify.read.list': (t) => ({ IDS: [t.notify] }), 'im.notify.read.all': () => ({}),
    'im.notify.answer': (t) => ({ ID: t.notify, ANSWER_TEXT: 'ok' }), 'im.notify.confirm': (t) => ({ ID: t.notify, NOTIFY_VALUE: 'yes' }),
    'im.notify.delete': (t) => ({ ID: t.notify }),
    'im.user.status.get': () => ({}), 'im.user.status.set': () => ({ STATUS: 'dnd' }), 'im.user.status.idle.start': () => ({ AGO: 5 }),
    'im.user.status.idle.end': () => ({}), 'im.search.last.get': () => ({}), 'im.search.last.delete': () => ({ DIALOG_ID: IVAN }),
    'im.search.chat.list': () => ({ FIND: 'Chat' }),
    'task.item.list': () => ({}), 'task.item.getlist': () => ({}), 'task.ctaskitem.list': () => ({}), 'task.ctaskitem.getlist': () => ({}),
    'task.item.add': () => ({ TASKDATA: { TITLE: 'A task', RESPONSIBLE_ID: ANNA } }), 'task.ctaskitem.add': () => ({ TASKDATA: { TITLE: 'A task', RESPONSIBLE_ID: ANNA } }),
    'user.get': () => ({ ID: IVAN }), 'im.user.get': () => ({ ID: IVAN }), 'im.user.list.get': () => ({ ID: [IVAN] }), 'im.user.business.list': () => ({}),
    'im.department.get': () => ({ ID: [1] }), 'im.department.colleagues.list': () => ({}), 'im.department.managers.get': () => ({ ID: [1] }),
    'im.department.employees.get': () => ({ ID: [1] }), 'im.search.user.list': () => ({ FIND: 'Ivan' }), 'im.search.department.list': () => ({ FIND: 'Dep' }),
    'im.chat.add': () => ({ USERS: [IVAN], TITLE: 'New chat' }),
    'im.notify': () => ({ USER_ID: IVAN, MESSAGE: 'hi' }), 'im.notify.personal.add': () => ({ USER_ID: IVAN, MESSAGE: 'hi' }),
    'im.notify.system.add': () => ({ USER_ID: IVAN, MESSAGE: 'hi', CLIENT_ID: 'matrix' }),
    // A dialog, acted on by a member.
    'im.message.add': (t) => ({ DIALOG_ID: `chat${t.chat}`, MESSAGE: 'hello' }),
    'im.chat.leave': (t) => ({ CHAT_ID: t.chat }), 'im.chat.mute': (t) => ({ CHAT_ID: t.chat, ACTION: 'Y' }),
    'im.chat.sendTyping': (t) => ({ CHAT_ID: t.chat }), 'im.chat.setOwner': (t) => ({ CHAT_ID: t.chat, USER_ID: IVAN }),
    'im.chat.updateTitle': (t) => ({ CHAT_ID: t.chat, TITLE: `Renamed ${++seq}` }), 'im.chat.updateColor': (t) => ({ CHAT_ID: t.chat, COLOR: 'RED' }),
    'im.chat.updateAvatar': (t) => ({ CHAT_ID: t.chat, AVATAR: png }), 'im.chat.user.add': (t) => ({ CHAT_ID: t.chat, USERS: [JOHN] }),
    'im.chat.user.delete': (t) => ({ CHAT_ID: t.chat, USER_ID: IVAN }),
    'im.dialog.read': (t) => ({ DIALOG_ID: `chat${t.chat}` }), 'im.dialog.unread': (t) => ({ DIALOG_ID: `chat${t.chat}`, MESSAGE_ID: t.msg }),
    'im.dialog.writing': (t) => ({ DIALOG_ID: `chat${t.chat}` }), 'im.disk.folder.get': (t) => ({ CHAT_ID: t.chat }),
    'im.disk.file.commit': (t) => ({ CHAT_ID: t.chat, UPLOAD_ID: t.upload }),
    'im.recent.pin': (t) => ({ DIALOG_ID: `chat${t.chat}`, PIN: 'Y' }), 'im.recent.hide': (t) => ({ DIALOG_ID: `chat${t.chat}` }),
    'im.recent.unread': (t) => ({ DIALOG_ID: `chat${t.chat}`, ACTION: 'Y' }),
    // A dialog read by members, and by anyone when open.
    'im.chat.get': (t) => (t.entity ? { ENTITY_TYPE: 'MX', ENTITY_ID: t.entity } : undefined),
    'im.chat.user.list': (t) => ({ CHAT_ID: t.chat }), 'im.dialog.get': (t) => ({ DIALOG_ID: `chat${t.chat}` }),
    'im.dialog.messages.get': (t) => ({ DIALOG_ID: `chat${t.chat}` }),
    'im.dialog.messages.search': (t) => ({ CHAT_ID: t.chat, SEARCH_MESSAGE: 'message' }),
    'parley.message.search': (t) => ({ FIND: 'message', DIALOG_ID: `chat${t.chat}`, AUTHOR_ID: ANNA }),
    'im.dialog.users.list': (t) => ({ DIALOG_ID: `chat${t.chat}` }),
    'im.command.list': (t) => ({ DIALOG_ID: `chat${t.chat}` }), 'im.search.last.add': (t) => ({ DIALOG_ID: `chat${t.chat}` }),
    // A message.
    'im.message.like': (t) => ({ MESSAGE_ID: t.msg }), 'im.message.share': (t) => ({ MESSAGE_ID: t.msg, DIALOG_ID: `chat${t.chat}`, TYPE: 'CHAT' }),
    'im.message.command': (t) => ({ MESSAGE_ID: t.botMsg, BOT_ID: bx, COMMAND: 'cx', COMMAND_PARAMS: '1' }),
    'im.message.update': (t) => ({ MESSAGE_ID: t.msg, MESSAGE: 'edited' }), 'im.message.delete': (t) => ({ MESSAGE_ID: t.msg }),
    // A file or folder.
    'im.disk.file.delete': (t) => ({ CHAT_ID: t.chat, FILE_ID: t.file }), 'im.disk.file.save': (t) => ({ FILE_ID: t.file }),
    'disk.folder.uploadfile': (t) => ({ id: t.folder, data: { NAME: `up${++seq}.txt` }, fileContent: ['x.txt', Buffer.from('x').toString('base64')] }),
    // The app's bot.
    'imbot.register': () => ({ CODE: `b${++seq}`, EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Extra' } }),
    'imbot.unregister': () => undefined, 'imbot.update': () => ({ BOT_ID: bx, FIELDS: { PROPERTIES: { WORK_POSITION: `w${++seq}` } } }),
    'imbot.bot.list': () => ({}),
    // Open lines: line targets (a line chat, its session and USER_CODE); `undefined` on other chats.
    'imopenlines.operator.answer': line((t) => ({ CHAT_ID: t.chat })), 'imopenlines.operator.skip': line((t) => ({ CHAT_ID: t.chat })),
    'imopenlines.operator.transfer': line((t) => ({ CHAT_ID: t.chat, TRANSFER_ID: IVAN })), 'imopenlines.operator.finish': line((t) => ({ CHAT_ID: t.chat })),
    'imopenlines.operator.another.finish': line((t) => ({ CHAT_ID: t.chat })), 'imopenlines.operator.spam': line((t) => ({ CHAT_ID: t.chat })),
    'imopenlines.session.open': line((t) => ({ USER_CODE: t.code })), 'imopenlines.session.start': line((t) => ({ CHAT_ID: t.chat })),
    'imopenlines.session.join': line((t) => ({ CHAT_ID: t.chat })), 'imopenlines.session.intercept': line((t) => ({ CHAT_ID: t.chat })),
    'imopenlines.session.mode.pin': line((t) => ({ CHAT_ID: t.chat })), 'imopenlines.session.mode.silent': line((t) => ({ CHAT_ID: t.chat, ACTIVATE: 'Y' })),
    'imopenlines.session.mode.pinAll': () => ({}), 'imopenlines.session.mode.unpinAll': () => ({}),
    'imopenlines.session.history.get': line((t) => ({ CHAT_ID: t.chat })), 'imopenlines.session.head.vote': line((t) => ({ SESSION_ID: t.session, RATING: 5 })),
    'imopenlines.message.session.start': line((t) => ({ CHAT_ID: t.chat, MESSAGE_ID: t.msg })), 'imopenlines.message.quick.save': line((t) => ({ CHAT_ID: t.chat, MESSAGE_ID: t.msg })),
    'imopenlines.message.quick.list': line((t) => ({ CHAT_ID: t.chat })),
    'imopenlines.dialog.get': line((t) => ({ CHAT_ID: t.chat })),
    'imopenlines.bot.session.operator': line((t) => ({ CHAT_ID: t.chat })), 'imopenlines.bot.session.finish': line((t) => ({ CHAT_ID: t.chat })),
    'imopenlines.bot.session.transfer': line((t) => ({ CHAT_ID: t.chat, USER_ID: ANNA, LEAVE: 'Y' })),
    'imopenlines.bot.session.message.send': line((t) => ({ CHAT_ID: t.chat, NAME: 'DEFAULT', MESSAGE: 'from the line bot' })),
    'imbot.message.add': (t) => ({ BOT_ID: bx, DIALOG_ID: `chat${t.chat}`, MESSAGE: 'from the bot' }),
    'imbot.message.update': (t) => ({ BOT_ID: bx, MESSAGE_ID: t.botMsg, MESSAGE: 'bot edit' }),
    'imbot.message.delete': (t) => ({ BOT_ID: bx, MESSAGE_ID: t.botMsg }), 'imbot.message.like': (t) => ({ BOT_ID: bx, MESSAGE_ID: t.msg }),
    'imbot.command.register': () => ({ BOT_ID: bx, COMMAND: `c${++seq}`, EVENT_COMMAND_ADD: 'http://127.0.0.1:9/c', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'C' }] }),
    'imbot.command.unregister': () => undefined, 'imbot.command.update': () => ({ COMMAND_ID: cmdX, FIELDS: { HIDDEN: 'N' } }),
    'imbot.command.answer': (t) => ({ COMMAND_ID: cmdX, MESSAGE_ID: t.cmdMsg, MESSAGE: 'answer' }),
    'imbot.chat.add': () => ({ BOT_ID: bx, USERS: [ANNA], TITLE: 'By the bot' }),
    'imbot.chat.get': (t) => (t.entity ? { BOT_ID: bx, ENTITY_TYPE: 'MX', ENTITY_ID: t.entity } : undefined),
    'imbot.chat.leave': (t) => ({ BOT_ID: bx, CHAT_ID: t.chat }), 'imbot.chat.sendTyping': (t) => ({ BOT_ID: bx, DIALOG_ID: `chat${t.chat}` }),
    'imbot.chat.setManager': (t) => ({ BOT_ID: bx, CHAT_ID: t.chat, USER_ID: ANNA, IS_MANAGER: 'Y' }),
    'imbot.chat.setOwner': (t) => ({ BOT_ID: bx, CHAT_ID: t.chat, USER_ID: ANNA }),
    'imbot.chat.updateAvatar': (t) => ({ BOT_ID: bx, CHAT_ID: t.chat, AVATAR: png }),
    'imbot.chat.updateColor': (t) => ({ BOT_ID: bx, CHAT_ID: t.chat, COLOR: 'RED' }),
    'imbot.chat.updateTitle': (t) => ({ BOT_ID: bx, CHAT_ID: t.chat, TITLE: `Bot title ${++seq}` }),
    'imbot.chat.user.add': (t) => ({ BOT_ID: bx, CHAT_ID: t.chat, USERS: [JOHN] }),
    'imbot.chat.user.delete': (t) => ({ BOT_ID: bx, CHAT_ID: t.chat, USER_ID: IVAN }),
    'imbot.chat.user.list': (t) => ({ BOT_ID: bx, CHAT_ID: t.chat }), 'imbot.dialog.get': (t) => ({ BOT_ID: bx, DIALOG_ID: `chat${t.chat}` }),
    // Chat apps: the app's own (imbot.app.*), and as the messenger lists and opens them in a dialog.
    'imbot.app.register': () => ({ BOT_ID: bx, CODE: `ca${++seq}`, JS_METHOD: 'SEND', JS_PARAM: '/help', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'CA' }] }),
    'imbot.app.unregister': () => undefined, 'imbot.app.update': () => ({ APP_ID: chatApp, FIELDS: { HIDDEN: 'N' } }),
    'parley.chatapp.list': (t) => ({ DIALOG_ID: `chat${t.chat}` }), 'parley.chatapp.launch': (t) => ({ DIALOG_ID: `chat${t.chat}`, APP_ID: chatApp }),
    // The app's Chatbots 2.0 bot `bv2` (imbot.v2.*; through a webhook its botToken names it).
    'imbot.v2.Bot.register': () => ({ fields: { code: `v2r${++seq}`, properties: { name: 'V2' } } }),
    'imbot.v2.Bot.update': () => ({ botId: bv2, fields: { properties: { workPosition: `w${++seq}` } } }),
    'imbot.v2.Bot.get': () => ({ botId: bv2 }), 'imbot.v2.Bot.list': () => ({}), 'imbot.v2.Bot.unregister': () => undefined,
    'imbot.v2.Event.get': () => ({ botId: bv2, limit: 1 }), 'imbot.v2.Revision.get': () => ({}),
    'imbot.v2.Chat.Message.send': (t) => ({ botId: bv2, dialogId: `chat${t.chat}`, fields: { message: 'from the v2 bot' } }),
    'imbot.v2.Chat.Message.update': () => undefined, 'imbot.v2.Chat.Message.delete': () => undefined,
    'imbot.v2.File.upload': (t) => ({ botId: bv2, dialogId: `chat${t.chat}`, fields: { name: `v2f${++seq}.txt`, content: Buffer.from('v2 file').toString('base64') } }),
    'imbot.v2.File.download': (t) => ({ botId: bv2, fileId: t.file }),
    'imbot.v2.Command.register': () => ({ botId: bv2, fields: { command: `v2c${++seq}`, title: { en: 'C' } } }), 'imbot.v2.Command.list': () => ({ botId: bv2 }),
    'imbot.v2.Command.update': () => undefined, 'imbot.v2.Command.unregister': () => undefined, 'imbot.v2.Command.answer': () => undefined,
    // imbot.v2.Chat.*: C, where the v2 bot is a member; what changes members or the owner runs on a chat of its own (the matrix makes it).
    'imbot.v2.Chat.add': () => ({ botId: bv2, fields: { title: `v2 chat ${++seq}`, userIds: [IVAN] } }),
    'imbot.v2.Chat.get': (t) => ({ botId: bv2, dialogId: `chat${t.chat}` }),
    'imbot.v2.Chat.update': (t) => ({ botId: bv2, dialogId: `chat${t.chat}`, fields: { description: `v2 d${++seq}` } }),
    'imbot.v2.Chat.User.list': (t) => ({ botId: bv2, dialogId: `chat${t.chat}`, limit: 5 }),
    'imbot.v2.Chat.leave': () => undefined, 'imbot.v2.Chat.setOwner': () => undefined, 'imbot.v2.Chat.User.add': () => undefined,
    'imbot.v2.Chat.User.delete': () => undefined, 'imbot.v2.Chat.Manager.add': () => undefined, 'imbot.v2.Chat.Manager.delete': () => undefined,
    // Reading: the bot marks C read; fetching messages needs a supervisor bot in C (the matrix makes it).
    'imbot.v2.Chat.Message.read': (t) => ({ botId: bv2, dialogId: `chat${t.chat}` }),
    'imbot.v2.Chat.Message.get': () => undefined, 'imbot.v2.Chat.Message.getContext': () => undefined,
    'imbot.v2.Chat.Message.Reaction.add': () => undefined, 'imbot.v2.Chat.Message.Reaction.delete': () => undefined,
    'imbot.v2.Chat.InputAction.notify': (t) => ({ botId: bv2, dialogId: `chat${t.chat}`, statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING' }),
    'imbot.v2.Chat.TextField.enabled': (t) => ({ botId: bv2, dialogId: `chat${t.chat}`, enabled: true }),
    // The calling app.
    'event.bind': () => ({ event: 'ONAPPUPDATE', handler: `http://127.0.0.1:9/e${++seq}` }), 'event.unbind': () => ({ event: 'ONAPPUPDATE' }),
    'event.get': () => ({}),
    'event.offline.get': () => ({ clear: 0 }), 'event.offline.list': () => ({}),
    'event.offline.clear': () => ({ process_id: 'none' }), 'event.offline.error': () => ({ process_id: 'none' }),
    'im.v2.File.upload': (t) => ({ dialogId: `chat${t.chat}`, fields: { name: `m${++seq}.txt`, content: Buffer.from('matrix').toString('base64') } }),
    'im.v2.File.download': (t) => ({ dialogId: `chat${t.chat}`, fileId: t.file }),
    'im.v2.Chat.Bot.sendContext': (t) => ({ dialogId: `chat${t.chat}`, context: { matrix: ++seq } }),
    'im.v2.Event.subscribe': () => ({}), 'im.v2.Event.unsubscribe': () => ({}), 'im.v2.Event.get': () => ({}),
    // The portal (administrators).
    'parley.app.list': () => ({}), 'parley.app.add': () => ({ NAME: 'M', HANDLER: 'http://127.0.0.1:9/m', SCOPE: 'im', INSTALL: 'N' }),
    'parley.app.install': () => undefined, 'parley.app.reinstall': () => undefined, 'parley.app.uninstall': () => undefined,
    'parley.webhook.list': () => ({}), 'parley.webhook.add': () => ({ USER_ID: IVAN, SCOPE: 'im' }), 'parley.webhook.delete': () => undefined,
    'parley.bot.list': () => ({}), 'parley.event.list': () => ({}), 'parley.event.fetch.list': () => ({}), 'parley.event.offline.list': () => ({}), 'parley.event.redeliver': () => ({ ALL: 'Y' }), 'parley.event.discard': () => ({ ALL: 'Y' }), 'parley.event.get': () => ({ ID: 1 }), 'parley.event.retry': () => ({ ID: 1 }), 'parley.event.resend': () => ({ ID: 1 }), 'parley.call.list': () => ({}),
    'parley.user.add': () => ({ NAME: 'New', LOGIN: `new${++seq}`, PASSWORD: 'secret99' }), 'parley.user.list': () => ({}),
    // John's new password (the matrix makes a fresh user for the success cell: a reset ends sessions).
    'parley.user.password.set': () => ({ ID: 5, PASSWORD: 'a-new-password-1' }),
    'parley.method.list': () => ({}),
    'parley.testevent.list': () => undefined, 'parley.testevent.send': () => undefined,
    // Open lines: reading their configuration (anyone with the scope), changing it (administrators; MAKERS names a line).
    'imopenlines.config.add': () => ({ PARAMS: { LINE_NAME: `Line ${++seq}`, QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: IVAN }] } }),
    'imopenlines.config.update': () => undefined, 'imopenlines.config.delete': () => undefined, 'imopenlines.config.get': () => undefined,
    'imopenlines.config.list.get': () => ({}), 'imopenlines.config.path.get': () => ({}), 'imopenlines.revision.get': () => ({}),
    // Parley has no CRM: these answer its documented "not found / no access" errors (EXCEPTIONS in the matrix).
    'imopenlines.crm.chat.get': () => ({ CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 1 }), 'imopenlines.crm.chat.getLastId': () => ({ CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 1 }),
    'imopenlines.crm.chat.user.add': () => ({ CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 1, USER_ID: IVAN }),
    'imopenlines.crm.chat.user.delete': () => ({ CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 1, USER_ID: IVAN }),
    'imopenlines.crm.message.add': (t) => ({ CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 1, USER_ID: ANNA, CHAT_ID: t.chat, MESSAGE: 'hi' }),
    'imopenlines.crm.lead.create': (t) => ({ CHAT_ID: t.chat }),
    // A network line's code comes from a line made for the call (the matrix's MAKERS).
    'imopenlines.network.join': () => undefined, 'imopenlines.network.message.add': () => undefined,
    // An open-line connector app (imconnector.*): its own connector.
    'imconnector.register': () => ({ ID: `mx${++seq}`, NAME: 'Matrix', ICON: { DATA_IMAGE: 'data:image/svg+xml,%3Csvg/%3E' }, PLACEMENT_HANDLER: 'https://example.com/s' }),
    'imconnector.unregister': () => undefined, 'imconnector.list': () => ({}),
    'imconnector.activate': () => ({ ...on, ACTIVE: 'Y' }), 'imconnector.status': () => on,
    'imconnector.connector.data.set': () => ({ ...on, DATA: { ID: 'matrix-channel' } }),
    'imconnector.chat.name.set': () => ({ ...on, CHAT_ID: 'mchat', USER_ID: 'muser', NAME: `Matrix chat ${++seq}` }),
    'imconnector.send.messages': () => ({ ...on, MESSAGES: [{ user: { id: 'muser' }, message: { id: `m${++seq}`, text: 'hi' }, chat: { id: 'mchat' } }] }),
    'imconnector.update.messages': () => ({ ...on, MESSAGES: [{ user: { id: 'muser' }, message: { id: 'm0', text: `edited ${++seq}` }, chat: { id: 'mchat' } }] }),
    'imconnector.delete.messages': () => undefined,
    'imconnector.send.status.delivery': () => ({ ...on, MESSAGES: status }), 'imconnector.send.status.reading': () => ({ ...on, MESSAGES: status }),
    // Placements: the app's own (administrators bind), and the messenger's view of them (its session only).
    'placement.bind': () => ({ PLACEMENT: 'IM_TEXTAREA', HANDLER: `https://apps.example.com/m${++seq}`, OPTIONS: { iconName: 'fa-cloud' } }),
    'placement.unbind': () => ({ PLACEMENT: 'IM_SIDEBAR' }), 'placement.get': () => ({}), 'placement.list': () => ({}),
    'parley.placement.list': (t) => ({ DIALOG_ID: `chat${t.chat}` }),
    'parley.placement.launch': (t) => ({ ID: placement, DIALOG_ID: `chat${t.chat}` }),
    'parley.placement.auth': () => undefined,
    'parley.placement.application': () => undefined,
  };
}

/** Whether a sample names its targets at all (sentinel ids show up in its parameters). */
export function namesTarget(sample: Sample): boolean {
  const probe: Targets = { chat: 987654, entity: 'probe987654', msg: 987654, botMsg: 987654, cmdMsg: 987654, file: 987654, folder: 987654, upload: 987654, notify: 987654 };
  return JSON.stringify(sample(probe) ?? {}).includes('987654');
}
