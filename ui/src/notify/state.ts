/**
 * The notification centre's state: the unread count (im.counters.get TYPE.NOTIFY), the loaded pages
 * of im.notify.get, and the user's actions on them (read, delete, press a button, quick answer).
 * The `notify` push (a new notification) and the `counters` push keep the count live; the list is
 * refetched from its first page when the panel is open, so a new notification shows at once.
 */
import { reactive, ref, watch } from 'vue';
import { call, RestError } from '../api.ts';
import { me, onPush, rememberUsers, report } from '../store.ts';
import { describeFailure } from '../failure.ts';
import type { WireUser } from '../types.ts';

/** One notification of im.notify.get (only the fields used here). */
export interface WireNotification {
  id: number; author_id: number; date: string; notify_type: number; text: string; notify_read: 'Y' | 'N';
  params: { ATTACH?: unknown; CAN_ANSWER?: string } | null; notify_buttons?: string;
  /** `mention` for a mention the portal filed (module `im`, tag IM|MENTION|<chat>); `rest_notify` for an app's. */
  notify_event?: string; notify_tag?: string;
}

/** A button of a confirm notification, as notify_buttons lists it. */
export interface NotifyButton { TITLE: string; VALUE: string; TYPE?: string }

interface NotifyPage { notifications?: WireNotification[]; users?: WireUser[]; total_count?: number; total_unread_count?: number }

/** The documented notify_type of a notification that still waits for a button. */
export const CONFIRM = 1;
const PAGE = 50;

/** Unread notifications, for the bell. */
export const unread = ref(0);
/** The notification centre as loaded so far. */
export const centre = reactive({
  items: [] as WireNotification[],
  loaded: false,
  loading: false,
  hasMore: false,
  error: '',
  /** Whether the panel is open (the list is kept fresh only then). */
  open: false,
});

/*
 * What this user chose or wrote, by notification id. im.notify.get does not return the stored answer
 * (a pressed notification comes back as a plain one), so the UI remembers its own answers to show
 * them after a reload of the page.
 */
const answers = reactive<Record<number, { kind: 'button' | 'text'; text: string }>>({});
const answersKey = () => `parley.notify.answers.${me.value?.id ?? 0}`;
function loadAnswers() {
  for (const k of Object.keys(answers)) delete answers[Number(k)];
  try {
    Object.assign(answers, JSON.parse(localStorage.getItem(answersKey()) ?? '{}'));
  } catch {
    // A damaged entry only loses the remembered answers.
  }
}
function remember(id: number, kind: 'button' | 'text', text: string) {
  answers[id] = { kind, text };
  localStorage.setItem(answersKey(), JSON.stringify(answers));
}
/** The answer this user gave to a notification, if the UI saw it. */
export const answerOf = (id: number) => answers[id];

/** The buttons of a confirm notification (none once it was answered). */
export function buttonsOf(n: WireNotification): NotifyButton[] {
  if (n.notify_type !== CONFIRM || typeof n.notify_buttons !== 'string') return [];
  try {
    const list = JSON.parse(n.notify_buttons) as unknown;
    return Array.isArray(list) ? list.filter((b): b is NotifyButton => !!b && typeof b.TITLE === 'string' && typeof b.VALUE === 'string') : [];
  } catch {
    return [];
  }
}

// The panel's own error line: the failure in words, the portal's code after it.
const errorText = (err: unknown) => {
  const f = describeFailure(err);
  return f.details ? `${f.text} (${f.details})` : f.text;
};

/** Reload the unread count. */
export async function loadCount(): Promise<void> {
  const c = await call<{ TYPE: { NOTIFY?: number } }>('im.counters.get');
  unread.value = c.TYPE.NOTIFY ?? 0;
}

// Confirm notifications first (they wait for the user), then the newest first: im.notify.get's order.
function sortItems() {
  centre.items.sort((a, b) => Number(b.notify_type === CONFIRM) - Number(a.notify_type === CONFIRM) || b.id - a.id);
}

function absorb(page: NotifyPage, replace: boolean) {
  rememberUsers(page.users ?? []);
  const list = page.notifications ?? [];
  const byId = new Map((replace ? [] : centre.items).map((n) => [n.id, n]));
  for (const n of list) byId.set(n.id, n);
  centre.items = [...byId.values()];
  sortItems();
  if (typeof page.total_unread_count === 'number') unread.value = page.total_unread_count;
  else if (!page.total_count) unread.value = 0;
}

let loadSeq = 0;
/** Load the first page again (opening the panel, a new notification). */
export async function loadFirst(): Promise<void> {
  const seq = ++loadSeq;
  centre.loading = true;
  try {
    const page = await call<NotifyPage>('im.notify.get', { LIMIT: PAGE });
    if (seq !== loadSeq) return;
    const fresh = page.notifications ?? [];
    // A short first page is everything; a full one leaves the older pages already loaded in place.
    const full = fresh.length >= PAGE;
    const oldest = Math.min(...fresh.map((x) => x.id));
    const kept = full && centre.loaded ? centre.items.filter((n) => n.id < oldest && n.notify_type !== CONFIRM) : [];
    absorb({ ...page, notifications: [...fresh, ...kept] }, true);
    if (!centre.loaded || !full) centre.hasMore = full;
    centre.loaded = true;
    centre.error = '';
  } catch (err) {
    if (seq === loadSeq) centre.error = errorText(err);
  } finally {
    if (seq === loadSeq) centre.loading = false;
  }
}

/** Load the next page: LAST_ID and LAST_TYPE of the last one shown, as im.notify.get pages. */
export async function loadMore(): Promise<void> {
  const last = centre.items[centre.items.length - 1];
  if (!last || centre.loading) return;
  centre.loading = true;
  try {
    const page = await call<NotifyPage>('im.notify.get', { LIMIT: PAGE, LAST_ID: last.id, LAST_TYPE: last.notify_type });
    absorb(page, false);
    centre.hasMore = (page.notifications?.length ?? 0) >= PAGE;
  } catch (err) {
    centre.error = errorText(err);
  } finally {
    centre.loading = false;
  }
}

// Runs an action, then brings the count up to date; errors go to the toast.
async function act(work: () => Promise<void>): Promise<boolean> {
  try {
    await work();
    await loadCount().catch(() => {});
    return true;
  } catch (err) {
    report(err);
    return false;
  }
}

/** Mark one notification read (ONLY_CURRENT: the method otherwise reads every newer one too). */
export function markRead(n: WireNotification): Promise<boolean> {
  return act(async () => {
    await call('im.notify.read', { ID: n.id, ONLY_CURRENT: 'Y' });
    n.notify_read = 'Y';
  });
}

/** Mark every notification read (confirm ones stay unread until answered, as on the portal). */
export function markAllRead(): Promise<boolean> {
  return act(async () => {
    await call('im.notify.read.all');
    for (const n of centre.items) if (n.notify_type !== CONFIRM) n.notify_read = 'Y';
  });
}

/** Delete a notification. */
export function remove(n: WireNotification): Promise<boolean> {
  return act(async () => {
    await call('im.notify.delete', { ID: n.id });
    centre.items = centre.items.filter((x) => x.id !== n.id);
  });
}

/** Press a button of a confirm notification; it settles once, so the buttons go away after. */
export function confirm(n: WireNotification, button: NotifyButton): Promise<boolean> {
  return act(async () => {
    const r = await call<{ result_message: string[] | false }>('im.notify.confirm', { ID: n.id, NOTIFY_VALUE: button.VALUE });
    // false: it was answered already (elsewhere): show it as the portal now has it.
    if (r.result_message) remember(n.id, 'button', r.result_message[0] ?? button.TITLE);
    await loadFirst();
  });
}

/** Send a quick answer to a notification that takes one. */
export function answer(n: WireNotification, text: string): Promise<boolean> {
  return act(async () => {
    const r = await call<{ result_message: string[] | false }>('im.notify.answer', { NOTIFY_ID: n.id, ANSWER_TEXT: text });
    if (!r.result_message) throw new RestError('ANSWER_ERROR', '', 400);
    remember(n.id, 'text', text);
    n.notify_read = 'Y';
  });
}

let pushTimer: ReturnType<typeof setTimeout> | undefined;
let listStale = false;
// A burst of pushes (an app sending many at once) costs one reload; the list only when it changed.
function refreshSoon(list: boolean) {
  listStale ||= list;
  clearTimeout(pushTimer);
  pushTimer = setTimeout(() => {
    void loadCount().catch(() => {});
    if (listStale && (centre.open || centre.loaded)) void loadFirst();
    listStale = false;
  }, 100);
}

onPush((p) => {
  if (p.type === 'notify' || p.type === 'resync') refreshSoon(true);
  else if (p.type === 'counters') refreshSoon(false);
});

// A new session (sign-in, another user) starts from nothing.
watch(me, (user) => {
  Object.assign(centre, { items: [], loaded: false, hasMore: false, error: '', open: false });
  unread.value = 0;
  loadAnswers();
  if (user) void loadCount().catch(() => {});
}, { immediate: true });
