/**
 * Messages that could not be sent stay in their dialog, marked "not sent", instead of being lost or
 * left for retyping: each keeps its text and the message it answered. One that failed for want of a
 * connection is sent again by itself when the browser is back online (or the socket reconnects), in
 * the order they were written; one the portal refused waits for Retry or Delete. Kept in memory for
 * the life of the page.
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
// Another user's messages never show: a sign-out empties the outbox.
watch(me, () => unsent.splice(0));
