/**
 * Chat apps in the messenger (imbot.app.*): the apps a dialog's composer offers
 * (parley.chatapp.list), what a JS command does (SEND, PUT, CALL, SUPPORT), and the one open IFRAME
 * app (parley.chatapp.launch) with what its frame may ask (the frameCommunication actions). The frame
 * itself and its message checks are ChatAppFrame.vue.
 */
import { ref } from 'vue';
import { call } from '../api.ts';
import { dialog, putText, sendMessage } from '../dialog.ts';
import { notify, report } from '../store.ts';
import { lang } from '../i18n.ts';
import { safeHref } from '../safe.ts';
import { str, type WireMessage } from '../types.ts';
import { ta } from './strings.ts';

/** An app as parley.chatapp.list answers it. */
export interface ChatAppItem {
  id: number;
  code: string;
  type: 'js' | 'iframe';
  title: string;
  description: string;
  icon: string | null;
  js_method?: string;
  js_param?: string;
}

/** The open IFRAME app: where it is, its size wish, and the id its messages must carry. */
export interface OpenFrame {
  appId: number;
  title: string;
  url: string;
  origin: string;
  width: number;
  height: number;
  popup: boolean;
  /** The dialog it was opened in: what `send` writes to. */
  dialogId: string;
  uniqueLoadId: string;
}

/** The apps the open dialog's composer offers. */
export const chatApps = ref<ChatAppItem[]>([]);
/** The open frame, or null. */
export const openFrame = ref<OpenFrame | null>(null);

let loadedFor = '';

/** Load the apps of dialog `dialogId` (again only when it changed or `force`). */
export async function loadChatApps(dialogId: string, force = false): Promise<void> {
  if (!dialogId || (dialogId === loadedFor && !force)) return;
  // Another dialog's apps are not offered here, not even until this one's list arrives.
  if (dialogId !== loadedFor) chatApps.value = [];
  loadedFor = dialogId;
  try {
    const list = await call<ChatAppItem[]>('parley.chatapp.list', { DIALOG_ID: dialogId, LANGUAGE_ID: lang.value });
    if (loadedFor === dialogId) chatApps.value = list;
  } catch (err) {
    chatApps.value = [];
    report(err);
  }
}

const isChrome = () => /Chrome\//.test(navigator.userAgent);

/** 128 random bits as hex: the frame's uniqueLoadId. */
function loadId(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Open an IFRAME app in the open dialog: from the composer, or from a bot's button (`from`: the
 * message and the button, whose APP_PARAMS the portal checks against the stored message). A frame on
 * the messenger's own origin is refused: with scripts and same-origin allowed it could reach the messenger.
 */
export async function launchApp(appId: number, title: string, from?: { message: WireMessage; button: Record<string, unknown> }): Promise<void> {
  const dialogId = dialog.dialogId;
  if (!dialogId) return;
  try {
    const res = await call<{ url: string; width: number; height: number; popup: boolean }>('parley.chatapp.launch', {
      DIALOG_ID: dialogId, APP_ID: appId, LANGUAGE_ID: lang.value, IS_CHROME: isChrome() ? 'Y' : 'N',
      ...(from ? { MESSAGE_ID: from.message.id, BUTTON_PARAMS: str(from.button.APP_PARAMS) } : {}),
    });
    const url = new URL(res.url);
    if (!['https:', 'http:'].includes(url.protocol) || url.origin === location.origin) return notify(ta('sameOrigin'));
    openFrame.value = { appId, title, url: url.toString(), origin: url.origin, width: res.width, height: res.height, popup: res.popup, dialogId, uniqueLoadId: loadId() };
  } catch (err) {
    report(err);
  }
}

/** Close the open frame. */
export function closeFrame(): void {
  openFrame.value = null;
}

/** Dial a number: the tel: link, when something dialable is left of it. */
function dial(number: string): void {
  const href = safeHref(`tel:${number.replace(/[^\d+*#]/g, '')}`);
  if (!href || href === 'tel:') return notify(ta('openFailed'));
  notify(ta('callNumber', { number }));
  location.href = href;
}

/** Open the dialog of the open line whose network code is `code` (imopenlines.network.join answers its bot). */
async function support(code: string): Promise<void> {
  if (!/^[0-9a-f]{32}$/i.test(code)) return notify(ta('supportUnknown'));
  try {
    const botId = await call<number>('imopenlines.network.join', { CODE: code });
    location.hash = `#/dialog/${botId}`;
  } catch {
    notify(ta('supportUnknown'));
  }
}

/** Send `text` as the user into `dialogId` (the open dialog through its composer path, so it shows at once). */
async function sendAs(dialogId: string, text: string): Promise<void> {
  if (!text.trim()) return;
  if (dialogId === dialog.dialogId) await sendMessage(text);
  else await call('im.message.add', { DIALOG_ID: dialogId, MESSAGE: text }).catch(report);
}

/** Run a JS command app: SEND writes its text as the user, PUT puts it in the composer, CALL dials, SUPPORT opens a line. */
export async function runJsApp(app: ChatAppItem): Promise<void> {
  const param = app.js_param ?? '';
  if (app.js_method === 'SEND') await sendAs(dialog.dialogId, param);
  else if (app.js_method === 'PUT') putText(param);
  else if (app.js_method === 'CALL') dial(param);
  else if (app.js_method === 'SUPPORT') await support(param);
}

/** The longest text a frame may send or put (im.message.add's own limit is larger; this is plenty). */
const MAX_FRAME_TEXT = 20_000;

/** Do what the open frame asked (already checked to come from it: ChatAppFrame.vue). */
export async function frameAction(frame: OpenFrame, data: Record<string, unknown>): Promise<void> {
  const text = typeof data.message === 'string' ? data.message.slice(0, MAX_FRAME_TEXT) : '';
  switch (data.action) {
    case 'send': return sendAs(frame.dialogId, text);
    case 'put': return putText(text);
    case 'call': return typeof data.number === 'string' || typeof data.number === 'number' ? dial(String(data.number)) : undefined;
    case 'support': return typeof data.code === 'string' ? support(data.code) : undefined;
    case 'close': return closeFrame();
    default: return undefined;
  }
}
