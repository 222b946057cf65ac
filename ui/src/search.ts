/**
 * Search as you type, for the sidebar and the pickers: nothing is asked below 3 characters (the
 * im.search.* methods want that many), nothing until typing pauses (TYPING_PAUSE_MS: a word typed
 * at speed is one request, not one per letter), and the answer to the newest query wins over a
 * slower answer to an older one.
 */
import { ref, watch, type Ref } from 'vue';

/** Whether a query is long enough to send (an emoji counts as one character). */
export const searchable = (q: string): boolean => [...q.trim()].length >= 3;

/** A list the portal answers as an array or as a map keyed by id (`[]` when empty). */
export const listOf = <T>(x: T[] | Record<string, T> | null | undefined): T[] => (Array.isArray(x) ? x : Object.values(x ?? {}));

/** How long typing must pause before a query is sent. */
export const TYPING_PAUSE_MS = 200;

/** Resolves after the typing pause; whether `current()` still holds (no newer query came meanwhile). */
export async function typingPaused(current: () => boolean): Promise<boolean> {
  await new Promise((r) => setTimeout(r, TYPING_PAUSE_MS));
  return current();
}

/** The answer to the current query: null while there is none (too short, or not back yet). */
export function useSearch<T>(query: () => string, run: (find: string) => Promise<T>, opts: { immediate?: boolean } = {}): Ref<T | null> {
  const result = ref(null) as Ref<T | null>;
  let seq = 0;
  watch(query, async (q) => {
    const mine = ++seq;
    result.value = null;
    if (!searchable(q) || !(await typingPaused(() => mine === seq))) return;
    const found = await run(q.trim());
    if (mine === seq) result.value = found;
  }, { immediate: opts.immediate });
  return result;
}
