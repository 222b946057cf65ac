/**
 * Messages that could not be sent stay in their dialog, marked "not sent", instead of being lost or
 * left for retyping: each keeps its text and the message it answered. One that failed for want of a
 * connection is sent again by itself when the browser is back online (or the socket reconnects), in
 * the order they were written; one the portal refused waits for Retry or Delete. Kept in this
 * browser's localStorage under the signed-in user, so a reload or a closed tab loses none of them;
 * signing out forgets them (another person may use the browser next).
 */
import { reactive, watch } from 'vue';
import { call } from '../api.ts';
import { describeFailure, type Failure } from '../failure.ts';
import { me, networkUp, online } from '../store.ts';

/** A message that is being sent again or failed to go. */
export interface Unsent {
  key: number;
  dialogId: string;
  text: string;
  replyId?: number;
  /** 'sending' while a (re)try runs. */
  state: 'sending' | 'failed';
  failure: Failure;
}

/** Every unsent message, oldest first (a dialog shows its own). */
export const unsent = reactive<Unsent[]>([]);

let nextKey = 1;
const sentHooks = new Set<(dialogId: string) => void>();

/** Be told when a message of the outbox finally went (the open dialog then fetches and shows it). */
export function onOutboxSent(fn: (dialogId: string) => void): void {
  sentHooks.add(fn);
}

/** Post a message; the new message's id. */
export async function post(dialogId: string, text: string, replyId?: number): Promise<number> {
  const params: Record<string, unknown> = { DIALOG_ID: dialogId, MESSAGE: text };
  if (replyId) params.REPLY_ID = replyId;
  return call<number>('im.message.add', params);
}

/** Keep a message whose sending failed with `err`. */
export function keepUnsent(dialogId: string, text: string, replyId: number | undefined, err: unknown): Unsent {
  const entry: Unsent = { key: nextKey++, dialogId, text, replyId, state: 'failed', failure: describeFailure(err) };
  unsent.push(entry);
  return unsent[unsent.length - 1];
}

/** Send one kept message again: gone from the outbox when it went, marked failed again when not. */
export async function retry(entry: Unsent): Promise<boolean> {
  if (entry.state === 'sending') return false;
  entry.state = 'sending';
  try {
    await post(entry.dialogId, entry.text, entry.replyId);
  } catch (err) {
    entry.state = 'failed';
    entry.failure = describeFailure(err);
    return false;
  }
  discard(entry);
  for (const fn of sentHooks) fn(entry.dialogId);
  return true;
}

/** Drop a kept message (Delete). */
export function discard(entry: Unsent): void {
  const i = unsent.findIndex((u) => u.key === entry.key);
  if (i >= 0) unsent.splice(i, 1);
}

let flushing = false;
/** Send again, in order, what failed for want of a connection; stops at the first that fails again. */
export async function flushOffline(): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    for (const entry of unsent.filter((u) => u.failure.offline && u.state === 'failed')) {
      if (!(await retry(entry))) break;
    }
  } finally {
    flushing = false;
  }
}

// Back online (the network, or the socket after an outage): what waited for it goes now.
watch([networkUp, online], ([net, sock], [netBefore, sockBefore]) => {
  if (net && sock && (!netBefore || !sockBefore)) void flushOffline();
});

/** Where this user's unsent messages are kept between page loads. */
const storageKey = (userId: number) => `parley.unsent.${userId}`;
/** The user whose outbox is loaded (0: nobody signed in). */
let owner = 0;

/** What localStorage holds for `userId`, whatever shape an older page or another tab left there. */
function stored(userId: number): Unsent[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(storageKey(userId)) ?? '[]');
    if (!Array.isArray(list)) return [];
    return list.filter((u): u is Unsent => !!u && typeof u.dialogId === 'string' && typeof u.text === 'string' && !!u.failure)
      // A send cut short by the reload is not known to have gone: it waits like any failed one.
      .map((u) => ({ ...u, key: nextKey++, state: 'failed' as const, replyId: Number(u.replyId) || undefined }));
  } catch {
    return [];
  }
}

function save(): void {
  if (!owner) return;
  try {
    if (unsent.length) localStorage.setItem(storageKey(owner), JSON.stringify(unsent));
    else localStorage.removeItem(storageKey(owner));
  } catch {
    // Storage full or refused (private mode): the outbox still lives for this page.
  }
}

/** Signing out on purpose: this user's unsent messages are forgotten here too. */
export function forgetUnsent(): void {
  if (owner) localStorage.removeItem(storageKey(owner));
  unsent.splice(0);
}

// Another user's messages never show: the outbox follows who is signed in. A session that merely
// ended (expired, or the password changed elsewhere) keeps them stored for the same user's next sign-in.
watch(me, (now) => {
  const next = now?.id ?? 0;
  if (next === owner) return;
  owner = 0; // nothing is saved while the list is swapped
  unsent.splice(0, unsent.length, ...(next ? stored(next) : []));
  owner = next;
  if (networkUp.value && online.value) void flushOffline();
}, { immediate: true });
watch(unsent, save, { deep: true });
