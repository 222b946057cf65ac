/**
 * Where the outbox lives between page loads, shared by every tab of the same user: localStorage,
 * one list per user (`parley.unsent.<id>`). Each change is a read-modify-write of that list within
 * one turn of the page's script (localStorage is synchronous), so two tabs add and remove their own
 * entries without overwriting each other's; the `storage` event tells the other tabs, which adopt
 * the list. Sending goes under a Web Lock per user (where the browser has them: secure contexts),
 * and an entry is sent only while the stored list still holds it, so two tabs never both send it.
 */
import type { Failure } from '../failure.ts';

/** An unsent message as it is stored. */
export interface StoredUnsent { id: string; dialogId: string; text: string; replyId?: number; failure: Failure }

const storageKey = (userId: number) => `parley.unsent.${userId}`;

/** A new entry's id: unique enough among one user's unsent messages (no crypto.randomUUID outside secure contexts). */
export const newEntryId = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

const isStoredUnsent = (u: unknown): u is StoredUnsent => {
  const x = u as StoredUnsent;
  return !!x && typeof x.id === 'string' && typeof x.dialogId === 'string' && typeof x.text === 'string'
    && !!x.failure && typeof x.failure === 'object';
};

/** The user's stored list, whatever shape an older page left there (what is not an entry is dropped). */
export function readStored(userId: number): StoredUnsent[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(storageKey(userId)) ?? '[]');
    return Array.isArray(list) ? list.filter(isStoredUnsent) : [];
  } catch {
    return [];
  }
}

/** Change the user's stored list (read, change, write at once). */
export function changeStored(userId: number, change: (list: StoredUnsent[]) => StoredUnsent[]): void {
  try {
    const next = change(readStored(userId));
    if (next.length) localStorage.setItem(storageKey(userId), JSON.stringify(next));
    else localStorage.removeItem(storageKey(userId));
  } catch {
    // Storage full or refused (private mode): the outbox still lives for this page.
  }
}

/** Whether the stored list still holds entry `id` (no other tab has sent or deleted it). */
export const isStored = (userId: number, id: string): boolean => readStored(userId).some((u) => u.id === id);

/** Forget the user's stored list (signing out on purpose). */
export function dropStored(userId: number): void {
  localStorage.removeItem(storageKey(userId));
}

/** Be told when another tab changed `userId`'s list. */
export function onStoredChange(userId: () => number, fn: () => void): void {
  window.addEventListener('storage', (ev) => {
    const id = userId();
    if (id && (ev.key === storageKey(id) || ev.key === null)) fn();
  });
}

/** Run `fn` holding the user's outbox lock (one tab at a time), or at once where there are no Web Locks. */
export function withOutboxLock<T>(userId: number, fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request(`parley.outbox.${userId}`, fn) as Promise<T>) : fn();
}
