/**
 * Formatting in the composer: wrap the selected text in the BB-code a person would type — bold,
 * italic, underline, strike, code, a quote, a link, a mention, a colour or a size — or insert an
 * empty pair with the caret inside. Pure string work, so it is easy to reason about; the composer
 * applies the result to its textarea.
 */

/** The plain pairs: [b]…[/b] and the like. */
export const STYLES = ['b', 'i', 'u', 's'] as const;
/** The blocks and the link the menu offers after the styles. */
export const BLOCKS = ['code', 'quote', 'url'] as const;
/** Colours offered for [COLOR] (from the messenger's palette, src/format/colors.ts). */
export const COLOR_CHOICES = { red: '#df532d', green: '#64a513', blue: '#3e99ce', purple: '#8474c8', pink: '#f76187', gray: '#909090' } as const;
/** Sizes offered for [SIZE], in px (the docs allow 8–30). */
export const SIZE_CHOICES = [12, 18, 24] as const;

/** One formatting a person can apply. */
export type Format =
  | (typeof STYLES)[number]
  | (typeof BLOCKS)[number]
  | { color: string }
  | { size: number }
  | { user: number; name: string };

/** Keyboard shortcuts (with Ctrl or Cmd): B, I, U, and Shift+X for strike-through. */
export function formatForKey(ev: KeyboardEvent): Format | undefined {
  if (!(ev.ctrlKey || ev.metaKey) || ev.altKey) return undefined;
  const k = ev.key.toLowerCase();
  if (!ev.shiftKey) return k === 'b' ? 'b' : k === 'i' ? 'i' : k === 'u' ? 'u' : undefined;
  return k === 'x' ? 's' : undefined;
}

/** The text after formatting, and what is selected afterwards. */
export interface Wrapped { text: string; start: number; end: number }

const LOOKS_LIKE_URL = /^(?:https?:\/\/|www\.)\S+$/i;

/** The text with `format` applied to start..end, and where the selection goes afterwards. */
export function wrap(text: string, start: number, end: number, format: Format): Wrapped {
  const inner = text.slice(start, end);
  const around = (open: string, close: string, select: 'inner' | 'after' = 'inner'): Wrapped => {
    const out = text.slice(0, start) + open + inner + close + text.slice(end);
    const at = start + open.length;
    return select === 'inner' ? { text: out, start: at, end: at + inner.length } : { text: out, start: at + inner.length + close.length, end: at + inner.length + close.length };
  };
  if (typeof format === 'object') {
    if ('color' in format) return around(`[color=${format.color}]`, '[/color]');
    if ('size' in format) return around(`[size=${format.size}]`, '[/size]');
    const label = inner || format.name;
    const mention = `[user=${format.user}]${label}[/user]`;
    const at = start + mention.length;
    return { text: text.slice(0, start) + mention + text.slice(end), start: at, end: at };
  }
  if (format === 'quote') return quoteLines(text, start, end);
  if (format === 'url') {
    if (LOOKS_LIKE_URL.test(inner)) return around('[url]', '[/url]');
    // The address is still to be typed: it is what ends up selected.
    const out = around('[url=https://]', '[/url]');
    return { text: out.text, start: start + 5, end: start + 13 };
  }
  return around(`[${format}]`, `[/${format}]`);
}

/**
 * `>>` before each selected line (the documented quote), the selection made whole lines: a line
 * break goes before a selection that starts mid-line and after one that ends mid-line.
 */
function quoteLines(text: string, start: number, end: number): Wrapped {
  const before = start > 0 && text[start - 1] !== '\n' ? '\n' : '';
  const after = end < text.length && text[end] !== '\n' && end > start ? '\n' : '';
  const quoted = text.slice(start, end).split('\n').map((line) => `>>${line}`).join('\n');
  const out = text.slice(0, start) + before + quoted + after + text.slice(end);
  const from = start + before.length;
  return end > start ? { text: out, start: from, end: from + quoted.length } : { text: out, start: from + 2, end: from + 2 };
}
