/**
 * Formatting in the composer: wrap the selected text in a BB-code pair ([b]…[/b] and the like), or
 * insert an empty pair with the caret inside. Pure string work, so it is easy to reason about; the
 * composer applies the result to its textarea.
 */

/** The codes the composer offers (as the Bitrix24 messenger does: bold, italic, underline, strike). */
export const FORMATS = ['b', 'i', 'u', 's'] as const;
export type Format = (typeof FORMATS)[number];

/** Keyboard shortcuts (with Ctrl or Cmd): B, I, U, and Shift+X for strike-through. */
export function formatForKey(ev: KeyboardEvent): Format | undefined {
  if (!(ev.ctrlKey || ev.metaKey) || ev.altKey) return undefined;
  const k = ev.key.toLowerCase();
  if (!ev.shiftKey) return k === 'b' ? 'b' : k === 'i' ? 'i' : k === 'u' ? 'u' : undefined;
  return k === 'x' ? 's' : undefined;
}

/** The text with [tag]…[/tag] around start..end, and where the selection goes afterwards. */
export function wrap(text: string, start: number, end: number, tag: Format): { text: string; start: number; end: number } {
  const open = `[${tag}]`;
  const close = `[/${tag}]`;
  const inner = text.slice(start, end);
  return { text: text.slice(0, start) + open + inner + close + text.slice(end), start: start + open.length, end: start + open.length + inner.length };
}
