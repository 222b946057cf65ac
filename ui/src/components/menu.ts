/**
 * A popup menu behind a toggle button (role=menu of role=menuitem buttons), as the message actions
 * and the recent list's row actions show it: it opens on its first item, arrows move round, Escape
 * closes and gives focus back to the button, and focus leaving for elsewhere closes it.
 */
import { nextTick, ref, useTemplateRef } from 'vue';

/** The menu's state and the handlers to bind; the template names its two elements `ref="<buttonRef>"` and `ref="<menuRef>"`. */
export function useMenu(buttonRef: string, menuRef: string) {
  const open = ref(false);
  const button = useTemplateRef<HTMLElement>(buttonRef);
  const menu = useTemplateRef<HTMLElement>(menuRef);
  const items = () => [...(menu.value?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  async function toggle() {
    open.value = !open.value;
    await nextTick();
    items()[0]?.focus();
  }

  function close() {
    open.value = false;
    button.value?.focus();
  }

  function onKey(ev: KeyboardEvent) {
    const list = items();
    const i = list.indexOf(document.activeElement as HTMLElement);
    if (ev.key === 'Escape') close();
    else if (ev.key === 'ArrowDown') list[(i + 1) % list.length]?.focus();
    else if (ev.key === 'ArrowUp') list[(i - 1 + list.length) % list.length]?.focus();
    else return;
    ev.preventDefault();
  }

  // Focus moving to the toggle button is left to its click, which closes the menu itself.
  function onFocusOut(ev: FocusEvent) {
    const next = ev.relatedTarget as Node | null;
    if (next && !menu.value?.contains(next) && next !== button.value) open.value = false;
  }

  return { open, button, menu, toggle, close, onKey, onFocusOut };
}
