/**
 * A filtered, paged log list for the console (parley.event.list, parley.call.list): the page of
 * items, `start`/`total`/`next`, and a refresh that a newer request always wins over — a slow answer
 * to an older filter never overwrites the answer to a newer one. A filter change goes back to page 1.
 */
import { reactive, ref, watch } from 'vue';
import { callEnvelope } from '../api.ts';
import { report } from './console.ts';

/** The list state and its actions; `toFilter` turns the reactive filter into the method's FILTER. */
export function usePagedList<T, F extends object>(method: string, filter: F, toFilter: (f: F) => Record<string, unknown>) {
  const items = ref<T[]>([]);
  const page = reactive({ start: 0, total: 0, next: undefined as number | undefined });
  const loading = ref(false);
  let seq = 0;

  async function refresh(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      const res = await callEnvelope<T[]>(method, { FILTER: toFilter(filter), start: page.start });
      if (mine !== seq) return;
      items.value = res.result;
      page.total = res.total ?? res.result.length;
      page.next = res.next;
    } catch (err) {
      report(err);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  watch(filter, () => {
    page.start = 0;
    void refresh();
  });

  function go(start: number): void {
    page.start = start;
    void refresh();
  }

  return { items, page, loading, refresh, go };
}
