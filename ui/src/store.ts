/**
 * Application state shared by the views: who is signed in, the user directory seen so far, the
 * recent list and counters, typing signals, and the realtime connection that keeps them fresh.
 * The open dialog lives in dialog.ts; this module routes pushes to it.
 */
import { reactive, ref } from 'vue';
import { call, NotSignedIn, signOut as apiSignOut } from './api.ts';
import { describeFailure, type FailureKind } from './failure.ts';
import { Realtime, type Push } from './realtime.ts';
import type { RecentItem, WireUser } from './types.ts';

/** The signed-in user, or null before sign-in. */
export const me = ref<WireUser | null>(null);
/** Whether the UI knows the session state yet (first /web/token answered). */
export const ready = ref(false);
/** Users by id, filled from every answer that carries users. */
export const users = reactive<Record<number, WireUser>>({});
/** The recent list, newest first as the portal orders it. */
export const recent = ref<RecentItem[]>([]);
/** Unread messages over all dialogs (the sidebar's badge; the tab's title and icon add notifications: notify/tab-badge.ts). */
export const totalUnread = ref(0);
/** Socket state, for the "reconnecting" bar. */
export const online = ref(true);
/** Whether the browser has a network at all (navigator.onLine): the bar then says so, and unsent messages wait for it. */
export const networkUp = ref(navigator.onLine);
window.addEventListener('online', () => (networkUp.value = true));
window.addEventListener('offline', () => (networkUp.value = false));
/** Who types where: chat id → user id → when the signal expires (ms). */
export const typing = reactive<Record<number, Record<number, number>>>({});
/** What a typing bot says it is doing (an IMBOT_AGENT_ACTION_* code, '' for plain typing), by chat and user. */
export const typingAction = reactive<Record<number, Record<number, string>>>({});
/** A short message for the user (errors, "copied"). */
export const toast = ref('');
/** The technical line under an error's message (the portal's code and description), '' when none. */
export const toastDetails = ref('');

let socket: Realtime | null = null;
const listeners = new Set<(p: Push) => void>();

/** Listen to pushes (the dialog view does); returns the unsubscribe. */
export function onPush(fn: (p: Push) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Remember users from an answer. */
export function rememberUsers(list: (WireUser | { id: 0 } | undefined)[]): void {
  for (const u of list) if (u && u.id && 'name' in u) users[u.id] = u;
}

const asking = new Set<number>();
/** A user's record, asked for once when not yet known (for typing names and mentions). */
export function ensureUser(id: number): void {
  if (!id || users[id] || asking.has(id)) return;
  asking.add(id);
  call<WireUser>('im.user.get', { ID: id }).then((u) => rememberUsers([u]), () => {}).finally(() => asking.delete(id));
}

/** Show a short notice for a few seconds (an error's technical `details` on a line beneath, a little longer). */
export function notify(text: string, details = ''): void {
  toast.value = text;
  toastDetails.value = details;
  setTimeout(() => {
    if (toast.value === text && toastDetails.value === details) toast.value = toastDetails.value = '';
  }, details ? 6000 : 4000);
}

/** Show a refusal or failure in words, the portal's code and description on the details line (failure.ts). */
export function report(err: unknown, kind: FailureKind = 'action'): void {
  const f = describeFailure(err, kind);
  notify(f.text, f.details);
}

/** Reload the recent list and the unread total. */
let recentSeq = 0;
export async function loadRecent(): Promise<void> {
  // Loads may overlap under a burst of pushes: only the newest answer is kept.
  const seq = ++recentSeq;
  const [items, counters] = await Promise.all([
    call<RecentItem[]>('im.recent.get', { SKIP_OPENLINES: 'Y' }),
    call<{ TYPE: { MESSENGER?: number; ALL?: number } }>('im.counters.get'),
  ]);
  if (seq !== recentSeq) return;
  rememberUsers(items.map((i) => i.user));
  recent.value = items;
  totalUnread.value = counters.TYPE.MESSENGER ?? counters.TYPE.ALL ?? 0;
}

let recentTimer: ReturnType<typeof setTimeout> | undefined;
/** Reload the recent list soon, once for a burst of pushes. */
export function refreshRecentSoon(): void {
  clearTimeout(recentTimer);
  recentTimer = setTimeout(() => void loadRecent().catch(() => {}), 150);
}

function handlePush(p: Push): void {
  if (p.type === 'typing' && p.chatId && p.userId && p.userId !== me.value?.id) {
    typing[p.chatId] ??= {};
    // A bot's indicator may say what it does and stay up longer (imbot.v2.Chat.InputAction.notify).
    typing[p.chatId][p.userId] = Date.now() + (p.seconds ? p.seconds * 1000 : 6000);
    typingAction[p.chatId] ??= {};
    typingAction[p.chatId][p.userId] = p.action ?? '';
    ensureUser(p.userId);
  } else if (p.type.startsWith('message.') || p.type === 'resync' || p.type.startsWith('chat.') || p.type.startsWith('read')) {
    // A new message ends its author's typing at once (only theirs: a system line or another's
    // message may arrive just after someone started typing).
    if (p.type === 'message.add' && p.chatId && p.authorId && typing[p.chatId]) delete typing[p.chatId][p.authorId];
    refreshRecentSoon();
  }
  for (const fn of listeners) fn(p);
}

// Typing signals fade by themselves: the portal never says "stopped typing".
setInterval(() => {
  const now = Date.now();
  for (const [chat, who] of Object.entries(typing)) {
    for (const [user, until] of Object.entries(who)) if (until < now) delete typing[Number(chat)][Number(user)];
  }
}, 1000);

/** Find out whether a session exists and, if so, load the user, the recent list and the socket. */
export async function start(): Promise<void> {
  try {
    const user = await call<WireUser>('im.user.get');
    rememberUsers([user]);
    me.value = user;
    await loadRecent();
    socket = new Realtime(handlePush, (c) => (online.value = c || !me.value), forget);
    (window as unknown as { __parley: unknown }).__parley = { dropSocket: (ms: number) => socket?.drop(ms) };
    void socket.connect();
  } catch (err) {
    if (!(err instanceof NotSignedIn)) report(err);
    me.value = null;
  } finally {
    ready.value = true;
  }
}

/** Sign out and go back to the sign-in screen. */
export async function signOut(): Promise<void> {
  socket?.stop();
  await apiSignOut();
  forget();
}

// Back to the sign-in screen: after signing out here, or when the session ended elsewhere.
function forget(): void {
  socket?.stop();
  socket = null;
  me.value = null;
  recent.value = [];
  location.hash = '';
}
