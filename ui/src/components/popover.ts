/**
 * Page-wide listeners a popover needs only while it is open (a click outside closes it, Escape from
 * anywhere): added when it opens, removed when it closes and, at the latest, when its component goes.
 */
import { onBeforeUnmount, watch } from 'vue';

type Listeners = { [K in keyof DocumentEventMap]?: (ev: DocumentEventMap[K]) => void };

/** Keep `listeners` on the document while `open()` is true. */
export function useWhileOpen(open: () => boolean, listeners: Listeners): void {
  const entries = Object.entries(listeners) as [string, EventListener][];
  const attach = (on: boolean) => {
    for (const [type, fn] of entries) {
      if (on) document.addEventListener(type, fn);
      else document.removeEventListener(type, fn);
    }
  };
  watch(open, attach);
  onBeforeUnmount(() => attach(false));
}
