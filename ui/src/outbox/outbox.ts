/**
 * Messages that could not be sent stay in their dialog, marked "not sent", instead of being lost or
 * left for retyping: each keeps its text and the message it answered. One that failed for want of a
 * connection is sent again by itself when the browser is back online (or the socket reconnects), in
 * the order they were written; one the portal refused waits for Retry or Delete. Kept in this
 * browser's localStorage under the signed-in user and shared by the user's tabs (outbox-store.ts),
 * so a reload or a closed tab loses none of them and no two tabs send one twice; signing out
 * forgets them (another person may use the browser next).
 */
import { reactive, watch } from 'vue';
import { call } from '../api.ts';
import { describeFailure, type Failure } from '../failure.ts';
import { me, networkUp, online } from '../store.ts';
import { changeStored, dropStored, isStored, newEntryId, onStoredChange, readStored, withOutboxLock, type StoredUnsent } from './outbox-store.ts';

/** A message that is being sent again or failed to go. */
export interface Unsent {
  /** This page's key for the list. */
  key: number;
  /** The entry's id, the same in every tab. */
  id: string;
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
/** The user whose outbox is loaded (0: nobody signed in). */
let owner = 0;

const toStored = (u: Unsent): StoredUnsent => ({ id: u.id, dialogId: u.dialogId, text: u.text, replyId: u.replyId, failure: u.failure });
// A send cut short by a reload is not known to have gone: it waits like any failed one.
const fromStored = (s: StoredUnsent): Unsent => ({ ...s, key: nextKey++, replyId: Number(s.replyId) || undefined, state: 'failed' });

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
  const entry: Unsent = { key: nextKey++, id: newEntryId(), dialogId, text, replyId, state: 'failed', failure: describeFailure(err) };
  unsent.push(entry);
  if (owner) changeStored(owner, (list) => [...list, toStored(entry)]);
  return unsent[unsent.length - 1];
}

function forgetHere(entry: Unsent): void {
  const i = unsent.findIndex((u) => u.key === entry.key);
  if (i >= 0) unsent.splice(i, 1);
}

/** Send one kept message again: gone from the outbox when it went (here or from another tab), marked failed again when not. */
export async function retry(entry: Unsent): Promise<boolean> {
  if (entry.state === 'sending') return false;
  entry.state = 'sending';
  const user = owner;
  return withOutboxLock(user, async () => {
    // Another tab sent or deleted it meanwhile: nothing to send.
    if (user && !isStored(user, entry.id)) {
      forgetHere(entry);
      return true;
    }
    try {
      await post(entry.dialogId, entry.text, entry.replyId);
    } catch (err) {
      entry.state = 'failed';
      entry.failure = describeFailure(err);
      if (user) changeStored(user, (list) => list.map((u) => (u.id === entry.id ? toStored(entry) : u)));
      return false;
    }
    discard(entry);
    for (const fn of sentHooks) fn(entry.dialogId);
    return true;
  });
}

/** Drop a kept message (Delete, or sent): here, in storage, and so in the user's other tabs. */
export function discard(entry: Unsent): void {
  forgetHere(entry);
  if (owner) changeStored(owner, (list) => list.filter((u) => u.id !== entry.id));
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

/** Take the stored list as this page's: entries it has keep their state, one it is sending stays until that ends. */
function adoptStored(): void {
  const list = readStored(owner);
  const here = new Map(unsent.map((u) => [u.id, u]));
  const next = list.map((s) => here.get(s.id) ?? fromStored(s));
  for (const u of unsent) if (u.state === 'sending' && !list.some((s) => s.id === u.id)) next.push(u);
  unsent.splice(0, unsent.length, ...next);
}
onStoredChange(() => owner, adoptStored);

/** Signing out on purpose: this user's unsent messages are forgotten here too. */
export function forgetUnsent(): void {
  if (owner) dropStored(owner);
  unsent.splice(0);
}

// Another user's messages never show: the outbox follows who is signed in. A session that merely
// ended (expired, or the password changed elsewhere) keeps them stored for the same user's next sign-in.
watch(me, (now) => {
  const next = now?.id ?? 0;
  if (next === owner) return;
  owner = next;
  unsent.splice(0, unsent.length, ...(next ? readStored(next).map(fromStored) : []));
  if (networkUp.value && online.value) void flushOffline();
}, { immediate: true });
