/**
 * A search result's snippet: a window of a message's plain text around the first word the query
 * matched, with the matched words' positions. Plain text only: whoever shows it escapes it first
 * and wraps the marked ranges afterwards (snippetPieces; the web messenger imports it too).
 */
import { termMatches, wordsOf, type TermQuery } from './terms.ts';

/** The shown text and the [start, end) UTF-16 ranges of its matched words, in order. */
export interface Snippet { text: string; marks: [number, number][] }

/** A piece of a snippet: text, and whether it is a matched word. */
export interface SnippetPiece { text: string; hit: boolean }

/** How long a snippet is at most, and how much of the text before the first match it keeps. */
const WIDTH = 160;
const LEAD = 40;
const ELLIPSIS = '…';

// An index moved off the second half of a surrogate pair, so a cut never splits a character.
const whole = (s: string, i: number) => (i > 0 && i < s.length && /[\uDC00-\uDFFF]/.test(s[i]) ? i - 1 : i);

/** The snippet of `plain` (a message's text without BB-code) for the query `q`. */
export function snippetOf(plain: string, q: TermQuery): Snippet {
  const text = plain.replace(/\s+/g, ' ').trim();
  const words = wordsOf(text);
  const hits = words.filter((w) => termMatches(q, w.term));
  let start = 0;
  let end = text.length;
  if (text.length > WIDTH) {
    const first = hits[0]?.start ?? 0;
    if (first > LEAD) {
      // Start at a word: the first one that begins within LEAD characters before the match.
      start = words.find((w) => w.start >= first - LEAD)?.start ?? first;
    }
    end = Math.min(text.length, start + WIDTH);
    // End after a whole word when one ends in the window's last quarter.
    const last = [...words].reverse().find((w) => w.end <= end && w.end > start + (WIDTH * 3) / 4);
    if (last && end < text.length) end = last.end;
    start = whole(text, start);
    end = whole(text, end);
  }
  const lead = start > 0 ? ELLIPSIS : '';
  const shown = lead + text.slice(start, end) + (end < text.length ? ELLIPSIS : '');
  const marks = hits.filter((w) => w.start >= start && w.end <= end)
    .map((w): [number, number] => [w.start - start + lead.length, w.end - start + lead.length]);
  return { text: shown, marks };
}

/**
 * A snippet's text cut at its marks, for whoever shows it: each piece is escaped (or interpolated)
 * on its own and a hit is wrapped afterwards. Ranges out of order or out of the text stay unmarked.
 */
export function snippetPieces(text: string, marks: readonly (readonly [number, number])[]): SnippetPiece[] {
  const pieces: SnippetPiece[] = [];
  let at = 0;
  for (const [start, end] of marks) {
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) pieces.push({ text: text.slice(at, start), hit: false });
    pieces.push({ text: text.slice(start, end), hit: true });
    at = end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), hit: false });
  return pieces;
}
