/**
 * Desktop notifications and the new-message sound. The browser's permission is asked once, from a
 * click on the in-app prompt (DesktopPrompt.vue; browsers ignore requests made without a gesture),
 * and the answer is remembered. Then a new message shows a system notification when the user is not
 * looking at its chat — another chat is open, or the tab is hidden or not focused — unless they muted
 * that chat; a mention reaches them in a muted chat too (it comes as a notification of the portal,
 * src/domain/mentions.ts). Clicking one brings the tab forward and opens the dialog. Notifications of
 * one chat replace each other (one tag per chat). The sound (on by default, as in Bitrix24) plays for
 * the same messages; both are settings of this browser, per user (NotifySettings.vue).
 */
import { computed, reactive, ref, watch } from 'vue';
import { call } from '../api.ts';
import { dialog } from '../dialog.ts';
import { me, onPush, rememberUsers, users } from '../store.ts';
import { isMuted } from '../chats/actions.ts';
import { bbcodeToText } from '../safe.ts';
import { t } from '../i18n.ts';
import { chime } from './chime.ts';
import { centre, type WireNotification } from './state.ts';
import { tn } from './strings.ts';
import type { WireChat, WireMessage, WireUser } from '../types.ts';

const supported = typeof Notification !== 'undefined';
const ASKED = 'parley.alerts.asked';

/** The browser's answer: granted, denied, default (not asked yet) — or unsupported. */
export const permission = ref<NotificationPermission | 'unsupported'>(supported ? Notification.permission : 'unsupported');
/** This user's choices in this browser. */
export const alerts = reactive({ desktop: true, sound: true });
const asked = ref(localStorage.getItem(ASKED) === '1');

/** Whether the in-app prompt shows: signed in, never asked here, and the browser would ask. */
export const showPrompt = computed(() => !!me.value && permission.value === 'default' && !asked.value);

/** Ask the browser for permission (from a click); remembered whatever the answer. */
export async function askPermission(): Promise<void> {
  asked.value = true;
  localStorage.setItem(ASKED, '1');
  if (!supported) return;
  permission.value = await Notification.requestPermission();
  alerts.desktop = permission.value === 'granted';
}

/** "Not now": the prompt does not come back (the setting can still turn notifications on). */
export function notNow(): void {
  asked.value = true;
  localStorage.setItem(ASKED, '1');
}

const settingsKey = () => `parley.alerts.${me.value?.id ?? 0}`;
watch(me, () => {
  try {
    Object.assign(alerts, { desktop: true, sound: true }, JSON.parse(localStorage.getItem(settingsKey()) ?? '{}'));
  } catch {
    // A damaged entry: the defaults.
  }
}, { immediate: true });
watch(alerts, () => me.value && localStorage.setItem(settingsKey(), JSON.stringify(alerts)));

/** Whether the user sees this chat right now: it is open, in a visible and focused tab. */
const looking = (chatId: number) => chatId === dialog.chatId && document.visibilityState === 'visible' && document.hasFocus();
/** Whether any alert would be given at all. */
const wanted = () => alerts.sound || (alerts.desktop && permission.value === 'granted');
/** A push replayed after a reconnect tells of old news: no alert for what is over two minutes old. */
const stale = (iso: string) => Date.now() - Date.parse(iso) > 120_000;

interface Alert { title: string; body: string; tag: string; open?: () => void }

function show(a: Alert): void {
  if (alerts.sound) chime();
  if (!alerts.desktop || permission.value !== 'granted') return;
  try {
    const n = new Notification(a.title, { body: a.body, tag: a.tag, icon: '/favicon.svg' });
    n.onclick = () => {
      window.focus();
      a.open?.();
      n.close();
    };
  } catch {
    // A browser that only shows notifications from a service worker: the sound and the badges remain.
  }
}

const preview = (m: WireMessage) => {
  const text = bbcodeToText(m.text).replace(/\s+/g, ' ').trim();
  return (text || t('file')).slice(0, 200);
};
const openDialogAt = (dialogId: string) => () => (location.hash = `#/dialog/${dialogId}`);

interface Page { messages: WireMessage[]; users: WireUser[] }

async function onMessage(chatId: number, messageId: number, authorId: number): Promise<void> {
  if (looking(chatId) || !wanted()) return;
  const dialogId = `chat${chatId}`;
  const [chat, page] = await Promise.all([
    call<WireChat & { mute_list?: unknown }>('im.dialog.get', { DIALOG_ID: dialogId }),
    call<Page>('im.dialog.messages.get', { DIALOG_ID: dialogId, FIRST_ID: messageId - 1, LIMIT: 1 }),
  ]);
  // A muted chat stays silent; a mention in it comes as a notification (onNotification).
  const m = page.messages.find((x) => x.id === messageId);
  if (isMuted(chat) || !m || stale(m.date) || looking(chatId)) return;
  rememberUsers(page.users);
  const author = users[authorId]?.name ?? '';
  const personal = chat.type === 'private';
  show({
    title: personal ? author : chat.title, body: personal ? preview(m) : `${author}: ${preview(m)}`,
    tag: `parley-chat-${chatId}`, open: openDialogAt(personal ? String(authorId) : dialogId),
  });
}

async function onNotification(id: number): Promise<void> {
  if (!wanted()) return;
  const page = await call<{ notifications?: WireNotification[]; users?: WireUser[] }>('im.notify.get', { LIMIT: 10 });
  const n = page.notifications?.find((x) => x.id === id);
  if (!n || n.notify_read === 'Y' || stale(n.date)) return;
  rememberUsers(page.users ?? []);
  const author = n.author_id > 0 ? users[n.author_id]?.name ?? '' : tn('system');
  const chatId = Number(/^IM\|MENTION\|(\d+)$/.exec(n.notify_tag ?? '')?.[1] ?? 0);
  if (!chatId) {
    // An app's notification: the bell shows it to whoever is looking at the tab.
    if (document.visibilityState === 'visible' && document.hasFocus()) return;
    show({ title: author, body: bbcodeToText(n.text).slice(0, 200), tag: `parley-notify-${n.id}`, open: () => (centre.open = true) });
    return;
  }
  if (looking(chatId)) return;
  const dialogId = `chat${chatId}`;
  const [chat, recent] = await Promise.all([
    call<WireChat & { mute_list?: unknown }>('im.dialog.get', { DIALOG_ID: dialogId }),
    call<Page>('im.dialog.messages.get', { DIALOG_ID: dialogId, LIMIT: 5 }),
  ]);
  // In a chat that is not muted the message itself was announced already.
  if (!isMuted(chat)) return;
  const said = [...recent.messages].sort((a, b) => b.id - a.id).find((m) => m.author_id === n.author_id);
  show({
    title: tn(users[n.author_id]?.gender === 'F' ? 'mentionedYouInF' : 'mentionedYouIn', { name: author, chat: chat.title }), body: said ? preview(said) : '',
    tag: `parley-chat-${chatId}`, open: openDialogAt(dialogId),
  });
}

onPush((p) => {
  if (p.type === 'message.add' && p.chatId && p.messageId && p.authorId && p.authorId !== me.value?.id) {
    void onMessage(p.chatId, p.messageId, p.authorId).catch(() => {});
  } else if (p.type === 'notify' && p.notifyId) {
    void onNotification(p.notifyId).catch(() => {});
  }
});
