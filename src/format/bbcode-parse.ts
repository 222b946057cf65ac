/**
 * A tolerant BB-code parser for message text, as the Bitrix24 messenger understands it: this file
 * finds the line-level structure (`>>` quote lines, the dashed author quote), bbcode-inline.ts the
 * tags within a run of lines. Anything it does not recognise stays literal text rather than failing,
 * because a bot's message must always be shown; every scan is linear in the input.
 */
import type { Node, QuoteNode } from './bbcode-ast.ts';
import { parseInline, seeker } from './bbcode-inline.ts';

/** Bitrix24 frames an author quote with lines of 54 dashes (the im module's regexes use exactly that). */
const QUOTE_RULE = /^-{54,}[ \t]*$/;
/** The date of an author quote: "08.04.2016 13:06:49", "4/8/2016 1:06 pm", … — digits first. */
const QUOTE_DATE = /^\d[\d.:/\-, apmAPM]*$/;

/** Parse message text into nodes; never throws, whatever the input. */
export function parseBbcode(text: string): Node[] {
  // Bitrix24 turns [BR] and #BR# into newlines before anything else, so they also end quote lines
  // (and are line breaks inside [CODE] too).
  const lines = splitLines(String(text ?? '').replace(/\r\n?/g, '\n').replace(/#br#|\[br\]/gi, '\n'));
  const out: Node[] = [];
  let plain: string[] = [];
  // Each quote is its own block: the newlines around it become explicit `br` nodes so plain text
  // keeps them; the HTML renderer drops a `br` that touches a block.
  let started = false;
  const segment = (nodes: Node[]) => {
    if (started) out.push({ type: 'br' });
    for (const n of nodes) out.push(n); // not push(...nodes): that overflows the stack on huge inputs
    started = true;
  };
  const flushPlain = () => {
    if (plain.length) segment(parseInline(plain.join('\n')));
    plain = [];
  };
  for (let i = 0; i < lines.length; ) {
    if (lines[i].startsWith('>>')) {
      const quote: QuoteNode = { type: 'quote', lines: [] };
      for (; i < lines.length && lines[i].startsWith('>>'); i++) quote.lines.push(parseInline(lines[i].slice(2)));
      flushPlain();
      segment([quote]);
      continue;
    }
    if (QUOTE_RULE.test(lines[i])) {
      // The closing rule is the next rule line; with none, or nothing between, the dashes are text.
      let j = i + 1;
      while (j < lines.length && !QUOTE_RULE.test(lines[j])) j++;
      if (j < lines.length && j > i + 1) {
        flushPlain();
        segment([authorQuote(lines.slice(i + 1, j))]);
        i = j + 1;
        continue;
      }
    }
    plain.push(lines[i++]);
  }
  flushPlain();
  return out;
}

/**
 * The text's lines, except that a line break inside a [CODE] or [QUOTE] block does not end a line:
 * a `>>` or a rule of dashes inside a code block is code, not a quote. The blocks are found as the
 * inline parser closes them (each at the first closing tag of its kind after it).
 */
function splitLines(s: string): string[] {
  const opener = /\[(code|quote)\]/gi;
  const closers = new Map<string, (q: number) => number>();
  const closeOf = (tag: string) => {
    if (!closers.has(tag)) {
      const re = new RegExp(`\\[/${tag}\\]`, 'gi');
      closers.set(tag, seeker((q) => ((re.lastIndex = q), re.exec(s)?.index ?? -1)));
    }
    return closers.get(tag)!;
  };
  const blocks: [number, number][] = [];
  for (let m = opener.exec(s); m; m = opener.exec(s)) {
    const tag = m[1].toLowerCase();
    const close = closeOf(tag)(opener.lastIndex);
    if (close < 0) continue;
    blocks.push([m.index, close + tag.length + 3]);
    opener.lastIndex = close + tag.length + 3;
  }
  const lines: string[] = [];
  let start = 0;
  let b = 0;
  for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', nl + 1)) {
    while (b < blocks.length && blocks[b][1] <= nl) b++;
    if (b < blocks.length && blocks[b][0] < nl) continue;
    lines.push(s.slice(start, nl));
    start = nl + 1;
  }
  lines.push(s.slice(start));
  return lines;
}

/** The dashed block: "Name [date]" on its first line names the author, the rest is the quoted text. */
function authorQuote(inner: string[]): QuoteNode {
  const first = inner[0].trim();
  const open = first.lastIndexOf('[');
  if (first.endsWith(']') && open > 0) {
    const author = first.slice(0, open).trim();
    const date = first.slice(open + 1, -1).trim();
    if (author && QUOTE_DATE.test(date)) {
      return { type: 'quote', author, date, lines: inner.slice(1).map(parseInline) };
    }
  }
  return { type: 'quote', lines: inner.map(parseInline) };
}
