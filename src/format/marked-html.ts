/**
 * Plain text with marked ranges as HTML (a search snippet's matched words): escaping first — every
 * piece of the text is escaped — and only then `<mark>` around the marked pieces, so nothing of the
 * text can become markup.
 */
import { escapeHtml } from './bbcode-render.ts';

/** `text` as HTML with each [start, end) range of `marks` (in order, not overlapping) in a `<mark>`. */
export function markedHtml(text: string, marks: readonly (readonly [number, number])[]): string {
  let html = '';
  let at = 0;
  for (const [start, end] of marks) {
    if (start < at || end <= start || end > text.length) continue;
    html += `${escapeHtml(text.slice(at, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`;
    at = end;
  }
  return html + escapeHtml(text.slice(at));
}
