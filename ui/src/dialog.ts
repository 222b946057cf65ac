/**
 * The open dialog: its chat, a window of messages (newest at the end), paging up into history and,
 * when it was opened at an unread message far back, down towards the newest; and the actions on it.
 * Pushes name a message id only; the content is fetched with im.dialog.messages.get (FIRST_ID for
 * what is newer, FIRST_ID = id - 1 and LIMIT 1 for one message).
 */
import { reactive, ref } from 'vue';
import { call, RestError } from './api.ts';
import { describeFailure } from './failure.ts';
import { me, notify, onPush, refreshRecentSoon, rememberUsers, report, users } from './store.ts';
import { keepUnsent, onOutboxSent, post } from './outbox/outbox.ts';
import { bbcodeIsBlank } from './safe.ts';
import { tf } from './format/strings.ts';
import type { BotCommand, WireChat, WireFile, WireMessage, WireUser } from './types.ts';

interface Page { chat_id: number; messages: WireMessage[]; users: WireUser[]; files?: WireFile[] | Record<string, WireFile> }

// What a dialog's state is before it loads (and after it closes).
const blank = () => ({
  dialogId: '' as string,
  chatId: 0,
  chat: null as WireChat | null,
  /** The other person of a private dialog. */
  peer: null as WireUser | null,
  messages: [] as WireMessage[],
  files: {} as Record<number, WireFile>,
  hasOlder: true,
  /** Newer messages exist beyond the window (opened at an unread message far back); scrolling down loads them. */
  hasNewer: false,
  /** The oldest message unread when the dialog was opened (the "unread messages" separator goes above it); 0 = none. */
  unreadFrom: 0,
  commands: [] as BotCommand[],
  error: '',
  /** True until the chat is known: the header and the list show placeholders, not a blank "?". */
  loading: false,
  /** A message to bring into view and highlight (a search result opened), and a counter that asks again. */
  focusId: 0,
  focusSeq: 0,
});

/** State of the open dialog. */
export const dialog = reactive({ ...blank(), loadingOlder: false, loadingNewer: false });
/** Text to put into the composer (PUT buttons, [PUT] links, quotes); the composer takes it and clears it. */
export const putRequest = ref<{ text: string; replace: boolean } | null>(null);
/** Bumped when the user sent something here (or it was kept unsent): the view scrolls to their message. */
export const revealOwn = ref(0);
/** The message being answered (REPLY_ID) or edited. */
export const replyTo = ref<WireMessage | null>(null);
export const editing = ref<WireMessage | null>(null);

const PAGE = 50;
/** Messages shown above the first unread one when a dialog opens there. */
const CONTEXT = 20;
let openSeq = 0;

function absorb(page: Page) {
  rememberUsers(page.users);
  const files = Array.isArray(page.files) ? page.files : Object.values(page.files ?? {});
  for (const f of files) dialog.files[f.id] = f;
}

/** A page of the open dialog (its users and files remembered); null when another dialog opened meanwhile. */
async function fetchPage(params: Record<string, unknown>, seq = openSeq): Promise<Page | null> {
  const page = await call<Page>('im.dialog.messages.get', { DIALOG_ID: dialog.dialogId, ...params });
  if (seq !== openSeq) return null;
  absorb(page);
  return page;
}

function merge(list: WireMessage[]) {
  const byId = new Map(dialog.messages.map((m) => [m.id, m]));
  for (const m of list) byId.set(m.id, m);
  dialog.messages = [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The newest message id loaded. */
const newestId = () => dialog.messages[dialog.messages.length - 1]?.id ?? 0;

/** The history around message `id`: a little before it, and it with a page after it (FIRST_ID pages forward). */
function fetchAround(dialogId: string, id: number): Promise<[Page, Page]> {
  return Promise.all([
    call<Page>('im.dialog.messages.get', { DIALOG_ID: dialogId, LAST_ID: id, LIMIT: CONTEXT }),
    call<Page>('im.dialog.messages.get', { DIALOG_ID: dialogId, FIRST_ID: id - 1, LIMIT: PAGE }),
  ]);
}

/** Make the window the history around a message (fetchAround's pages), paging both ways from there. */
function placeAround(around: [Page, Page]): void {
  for (const part of around) absorb(part);
  dialog.messages = [];
  merge([...around[0].messages, ...around[1].messages]);
  dialog.hasOlder = around[0].messages.length >= CONTEXT;
  dialog.hasNewer = around[1].messages.length >= PAGE;
}

/**
 * Open a dialog by DIALOG_ID (`5` for a user, `chat7` for a chat); with `focus`, at that message
 * (loading the history around it when it is older than the newest page), which the view then shows
 * and highlights.
 */
export async function openDialog(dialogId: string, focus = 0): Promise<void> {
  const seq = ++openSeq;
  Object.assign(dialog, blank(), { dialogId, loading: true });
  replyTo.value = null;
  editing.value = null;
  try {
    const [chat, page] = await Promise.all([
      call<WireChat>('im.dialog.get', { DIALOG_ID: dialogId }),
      call<Page>('im.dialog.messages.get', { DIALOG_ID: dialogId, LIMIT: PAGE }),
    ]);
    if (seq !== openSeq) return;
    const { counter = 0, unread_id: unreadId = 0 } = chat as WireChat & { counter?: number; unread_id?: number };
    const unreadFrom = counter > 0 ? unreadId : 0;
    // More unread than the newest page holds: open at the first unread message, with a little of
    // what came before it, and page down from there (FIRST_ID pages forward).
    const oldest = page.messages.length ? Math.min(...page.messages.map((m) => m.id)) : 0;
    // A message asked for that the newest page lacks: open there instead.
    const at = focus > 0 && !page.messages.some((m) => m.id === focus) ? focus
      : unreadFrom && page.messages.length >= PAGE && unreadFrom < oldest ? unreadFrom : 0;
    const around = at ? await fetchAround(dialogId, at) : null;
    if (seq !== openSeq) return;
    dialog.chat = chat;
    dialog.chatId = chat.id;
    dialog.unreadFrom = unreadFrom;
    if (around) placeAround(around);
    else {
      absorb(page);
      merge(page.messages);
      dialog.hasOlder = page.messages.length >= PAGE;
    }
    if (/^\d+$/.test(dialogId)) {
      const peer = users[Number(dialogId)] ?? (await call<WireUser>('im.user.get', { ID: dialogId }));
      rememberUsers([peer]);
      if (seq === openSeq) dialog.peer = peer;
    }
    if (focus > 0) focusLoaded(focus);
    markRead();
    call<BotCommand[]>('im.command.list', { DIALOG_ID: dialogId }).then((c) => {
      if (seq === openSeq) dialog.commands = c;
    }, () => {});
  } catch (err) {
    if (seq === openSeq) {
      const f = describeFailure(err);
      dialog.error = f.details ? `${f.text} (${f.details})` : f.text;
    }
  } finally {
    if (seq === openSeq) dialog.loading = false;
  }
}

// Ask the view to show and highlight a loaded message.
function focusLoaded(id: number): void {
  dialog.focusId = id;
  dialog.focusSeq++;
}

/** Show a message of the open dialog: the window moves to the history around it when it is not loaded. */
export async function focusMessage(id: number): Promise<void> {
  if (!dialog.chatId || id <= 0) return;
  if (!dialog.messages.some((m) => m.id === id)) {
    const seq = openSeq;
    try {
      const around = await fetchAround(dialog.dialogId, id);
      if (seq !== openSeq) return;
      placeAround(around);
    } catch (err) {
      report(err);
      return;
    }
  }
  focusLoaded(id);
}

/** Close the dialog (phone layout's back button). */
export function closeDialog(): void {
  openSeq++;
  Object.assign(dialog, blank());
}

/** Load a page of earlier messages. */
export async function loadOlder(): Promise<void> {
  if (!dialog.hasOlder || dialog.loadingOlder || !dialog.chatId) return;
  dialog.loadingOlder = true;
  try {
    const page = await fetchPage({ LAST_ID: dialog.messages[0]?.id ?? 0, LIMIT: PAGE });
    if (!page) return;
    merge(page.messages);
    dialog.hasOlder = page.messages.length >= PAGE;
  } finally {
    dialog.loadingOlder = false;
  }
}

/** Load the next page of newer messages (the window does not reach the newest yet). */
export async function loadNewer(): Promise<void> {
  if (!dialog.hasNewer || dialog.loadingNewer || !dialog.chatId) return;
  dialog.loadingNewer = true;
  try {
    const page = await fetchPage({ FIRST_ID: newestId(), LIMIT: PAGE });
    if (!page) return;
    merge(page.messages);
    dialog.hasNewer = page.messages.length >= PAGE;
    markRead();
  } finally {
    dialog.loadingNewer = false;
  }
}

/** Replace the window with the newest page ("jump to latest" while newer pages are not loaded). */
export async function jumpToLatest(): Promise<void> {
  if (!dialog.hasNewer || !dialog.chatId) return;
  const page = await fetchPage({ LIMIT: PAGE });
  if (!page) return;
  dialog.messages = [...page.messages].sort((a, b) => a.id - b.id);
  dialog.hasOlder = true;
  dialog.hasNewer = false;
  markRead();
}

/** Fetch every message newer than the newest loaded one (not while the window stops short of the newest). */
async function fetchNewer(): Promise<void> {
  if (dialog.hasNewer) return;
  const seq = openSeq;
  for (;;) {
    const page = await fetchPage({ FIRST_ID: newestId(), LIMIT: PAGE }, seq);
    if (!page) return;
    merge(page.messages);
    // A system message tells of a change to the chat itself (members, title): reload its header.
    if (page.messages.some((m) => m.system)) {
      call<WireChat>('im.dialog.get', { DIALOG_ID: dialog.dialogId }).then((c) => seq === openSeq && (dialog.chat = c), () => {});
    }
    if (page.messages.length < PAGE) break;
  }
  markRead();
}

/** Fetch one message again (edited, liked, deleted); drop it when it is gone for good. */
async function refreshMessage(id: number): Promise<void> {
  const page = await fetchPage({ FIRST_ID: id - 1, LIMIT: 1 });
  if (!page) return;
  const found = page.messages.find((m) => m.id === id);
  if (found) merge([found]);
  else dialog.messages = dialog.messages.filter((m) => m.id !== id);
}

let readTimer: ReturnType<typeof setTimeout> | undefined;
/** Tell the portal the dialog is read up to the newest message (soon, once per burst). */
function markRead(): void {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    const last = newestId();
    if (!last || document.visibilityState === 'hidden') return;
    call('im.dialog.read', { DIALOG_ID: dialog.dialogId, MESSAGE_ID: last }).then(refreshRecentSoon, () => {});
  }, 300);
}
document.addEventListener('visibilitychange', () => dialog.chatId && markRead());

onPush((p) => {
  if (p.type === 'resync') {
    if (dialog.dialogId) void openDialog(dialog.dialogId);
    return;
  }
  // The open chat changed (its title, or a bot turned the composer off or on): reload what im.dialog.get says of it.
  if (p.type === 'chat.update' && dialog.chatId && p.chatId === dialog.chatId) {
    const seq = openSeq;
    void call<WireChat>('im.dialog.get', { DIALOG_ID: dialog.dialogId }).then((chat) => seq === openSeq && (dialog.chat = chat)).catch(() => {});
    return;
  }
  if (!dialog.chatId || p.chatId !== dialog.chatId || !p.messageId) return;
  const known = dialog.messages.some((m) => m.id === p.messageId);
  const work = p.type === 'message.add' ? fetchNewer() : known ? refreshMessage(p.messageId) : Promise.resolve();
  work.catch(() => {});
});

/** One's own message is the newest: show it even when the window was further back, and scroll to it. */
async function showSent(): Promise<void> {
  await jumpToLatest();
  await fetchNewer();
  revealOwn.value++;
}
// A message kept unsent went after all (back online, Retry).
onOutboxSent((dialogId) => {
  if (dialogId === dialog.dialogId) void showSent().catch(() => {});
});

/**
 * Text that shows nothing once its BB-code is gone ([b][/b]) is not sent: the portal would refuse it
 * (MESSAGE_EMPTY) and the person is told why in words, here or when the portal says so.
 */
function blankRefused(text: string): boolean {
  if (!bbcodeIsBlank(text)) return false;
  notify(tf('blank'));
  return true;
}

/**
 * Send a message (answering `replyTo` when set). One that fails stays in the dialog marked "not sent"
 * (outbox/outbox.ts) rather than in the input, so it answers true — except a blank one, which stays in
 * the input to be written (false), as does anything when there was nothing to send.
 */
export async function sendMessage(text: string): Promise<boolean> {
  if (!text.trim() || !dialog.dialogId || blankRefused(text)) return false;
  const dialogId = dialog.dialogId;
  const replyId = replyTo.value?.id;
  try {
    await post(dialogId, text, replyId);
  } catch (err) {
    if (err instanceof RestError && err.code === 'MESSAGE_EMPTY') {
      notify(tf('blank'));
      return false;
    }
    keepUnsent(dialogId, text, replyId, err);
    replyTo.value = null;
    revealOwn.value++;
    return true;
  }
  lastWriting = { dialogId: '', at: 0 };
  replyTo.value = null;
  await showSent().catch(() => {});
  return true;
}

/** Save an edit of one's own message. */
export async function saveEdit(message: WireMessage, text: string): Promise<boolean> {
  if (blankRefused(text)) return false;
  try {
    await call('im.message.update', { MESSAGE_ID: message.id, MESSAGE: text });
    editing.value = null;
    await refreshMessage(message.id);
    return true;
  } catch (err) {
    report(err);
    return false;
  }
}

/** Delete one's own message. */
export async function deleteMessage(message: WireMessage): Promise<void> {
  try {
    await call('im.message.delete', { MESSAGE_ID: message.id });
    await refreshMessage(message.id);
  } catch (err) {
    report(err);
  }
}

/** Like or unlike a message. */
export async function toggleLike(message: WireMessage): Promise<void> {
  try {
    await call('im.message.like', { MESSAGE_ID: message.id, ACTION: 'auto' });
    await refreshMessage(message.id);
  } catch (err) {
    report(err);
  }
}

/** Press a bot's keyboard button or menu item that carries a COMMAND. */
export async function pressCommand(message: WireMessage, button: Record<string, unknown>): Promise<void> {
  try {
    await call('im.message.command', {
      MESSAGE_ID: message.id, BOT_ID: Number(button.BOT_ID ?? message.author_id),
      COMMAND: String(button.COMMAND ?? ''), COMMAND_PARAMS: String(button.COMMAND_PARAMS ?? ''),
    });
    // A BLOCK button locks the keyboard on the portal: show that at once.
    if (button.BLOCK === 'Y') await refreshMessage(message.id);
  } catch (err) {
    // The bot's refusal in words; its code and description on the details line.
    report(err, 'bot');
  }
}

let lastWriting = { dialogId: '', at: 0 };
/**
 * Tell the others this user is typing: at most every 4 s per dialog, as the signal lasts a few
 * seconds — but at once after a sent message, which ended the previous signal on their side.
 */
export function writing(): void {
  if (!dialog.dialogId || (lastWriting.dialogId === dialog.dialogId && Date.now() - lastWriting.at < 4000)) return;
  lastWriting = { dialogId: dialog.dialogId, at: Date.now() };
  call('im.dialog.writing', { DIALOG_ID: dialog.dialogId }).catch(() => {});
}

/** Ask the composer to insert text ([PUT], PUT buttons, quotes). */
export function putText(text: string, replace = true): void {
  putRequest.value = { text, replace };
}

/** The dashed quote block Bitrix24 clients put into the input for "Quote". */
export function quoteText(message: WireMessage, plain: string): string {
  const rule = '-'.repeat(54);
  const author = users[message.author_id]?.name ?? '';
  const d = new Date(message.date);
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return `${rule}\n${author} [${date}]\n${plain}\n${rule}\n`;
}

/** Whether the signed-in user wrote this message. */
export const isMine = (m: WireMessage) => m.author_id === me.value?.id;
