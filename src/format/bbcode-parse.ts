/**
 * A tolerant BB-code parser for message text, as the Bitrix24 messenger understands it. Anything it
 * does not recognise (unknown tags, bad parameters, unbalanced tags) stays literal text rather than
 * failing, because a bot's message must always be shown. Every scan is forward-only with cached
 * look-aheads, so the cost stays linear in the input however hostile it is.
 */
import type { IconNode, Node, QuoteNode } from './bbcode-ast.ts';

/** Bitrix24 frames an author quote with lines of 54 dashes (the im module's regexes use exactly that). */
const QUOTE_RULE = /^-{54,}[ \t]*$/;
/** The date of an author quote: "08.04.2016 13:06:49", "4/8/2016 1:06 pm", … — digits first. */
const QUOTE_DATE = /^\d[\d.:/\-, apmAPM]*$/;
/** Tags nest this deep at most; deeper openers stay text, which bounds recursion everywhere. */
const MAX_DEPTH = 20;
/** A tag's `[…]` longer than this is not a tag (keeps the per-tag work bounded). */
const MAX_TAG = 2048;
const STYLE = { b: 'bold', i: 'italic', u: 'underline', s: 'strike' } as const;
/** Link-like tags: none of them may appear inside another, and bare URLs are not linked inside them. */
const LINKY = new Set(['url', 'user', 'chat', 'call', 'send', 'put']);
const KNOWN = new Set(['b', 'i', 'u', 's', 'color', 'size', 'br', 'icon', ...LINKY]);
const USER_ID = /^(\d+|all)(\s+replace)?$/i;
const CHAT_ID = /^(\d+|imol\|\d+)$/i;
const PHONE = /^\+?[\d(][\d\s()\-.*#]{0,31}$/;
const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
/** Bare URLs: the character class excludes what ends a URL in prose and everything HTML-special. */
const BARE_URL = /(?:https?:\/\/|www\.)[^\s<>[\]"'`]+/gi;
const IMAGE_EXT = /\.(?:png|jpe?g|gif|webp)$/i;

/** Parse message text into nodes; never throws, whatever the input. */
export function parseBbcode(text: string): Node[] {
  // Bitrix24 turns [BR] and #BR# into newlines before anything else, so they also end quote lines.
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').replace(/#br#|\[br\]/gi, '\n').split('\n');
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

interface Frame {
  tag: string;
  /** The opening tag as typed, put back as text if the frame is never closed. */
  raw: string;
  make: (children: Node[]) => Node;
  children: Node[];
}

/** Parse one run of inline text (no quotes); newlines become `br`. */
function parseInline(s: string): Node[] {
  const stack: Frame[] = [{ tag: '', raw: '', make: () => ({ type: 'br' }), children: [] }];
  const top = () => stack[stack.length - 1];
  let linkDepth = 0;
  let pending = '';
  // Cached look-aheads keep the scan linear: each answers again without rescanning until passed.
  const nextBracket = seeker((q) => s.indexOf(']', q));
  const nextNewline = seeker((q) => s.indexOf('\n', q));
  const closers = new Map<string, (q: number) => number>();
  const findClose = (tag: string, from: number): number => {
    if (!closers.has(tag)) {
      const re = new RegExp(`\\[/${tag}\\]`, 'gi');
      closers.set(tag, seeker((q) => ((re.lastIndex = q), re.exec(s)?.index ?? -1)));
    }
    return closers.get(tag)!(from);
  };
  const flush = () => {
    if (pending) appendText(top().children, pending, linkDepth === 0);
    pending = '';
  };
  const pop = (): Frame => {
    const f = stack.pop()!;
    if (LINKY.has(f.tag)) linkDepth--;
    return f;
  };
  // An unclosed frame dissolves: its opener becomes text and its children move up a level (where
  // bare URLs in its text may now be linked).
  const dissolve = () => {
    const f = pop();
    const into = top().children;
    pushText(into, f.raw);
    for (const n of f.children) {
      if (n.type === 'text') appendText(into, n.text, LINKY.has(f.tag) && linkDepth === 0);
      else into.push(n);
    }
  };
  const open = (tag: string, raw: string, make: Frame['make']): boolean => {
    if (stack.length > MAX_DEPTH) return false;
    flush();
    stack.push({ tag, raw, make, children: [] });
    if (LINKY.has(tag)) linkDepth++;
    return true;
  };
  const leaf = (node: Node) => {
    flush();
    top().children.push(node);
  };

  /** Handle `[tag=param]` ending at `end` (just past `]`); returns the position to resume at, or -1. */
  const opening = (tag: string, param: string | null, raw: string, end: number): number => {
    const arg = param?.trim() ?? '';
    if (tag in STYLE) {
      const type = STYLE[tag as keyof typeof STYLE];
      return param === null && open(tag, raw, (children) => ({ type, children })) ? end : -1;
    }
    if (tag === 'br') return param === null ? (leaf({ type: 'br' }), end) : -1;
    if (tag === 'color') return COLOR.test(arg) && open(tag, raw, (children) => ({ type: 'color', color: arg, children })) ? end : -1;
    if (tag === 'size') {
      const size = Math.min(30, Math.max(8, Number(arg)));
      return /^\d{1,3}$/.test(arg) && open(tag, raw, (children) => ({ type: 'size', size, children })) ? end : -1;
    }
    if (tag === 'icon') {
      const icon = param === null ? null : parseIcon(arg);
      return icon ? (leaf(icon), end) : -1;
    }
    if (linkDepth > 0) return -1; // link-like tags never nest
    if (param !== null && tag !== 'user' && tag !== 'chat') {
      const value = tag === 'url' ? unquote(arg) : param;
      if (!arg || (tag === 'call' && !PHONE.test(arg))) return -1;
      const label = (c: Node[]): Node[] => (c.length ? c : [{ type: 'text', text: value }]);
      const make: Frame['make'] =
        tag === 'url' ? (c) => ({ type: 'url', href: value, children: label(c) })
        : tag === 'call' ? (c) => ({ type: 'call', number: arg, children: label(c) })
        : tag === 'send' ? (c) => ({ type: 'send', command: value, children: label(c) })
        : (c) => ({ type: 'put', text: value, children: label(c) });
      return open(tag, raw, make) ? end : -1;
    }
    // The rest take their content verbatim, on one line, up to the closing tag: a name, a URL, a command.
    const close = findClose(tag, end);
    const nl = nextNewline(end);
    if (close < 0 || (nl >= 0 && nl < close)) return -1;
    const body = s.slice(end, close);
    const user = tag === 'user' ? USER_ID.exec(arg) : null;
    const text: Node[] = [{ type: 'text', text: body }];
    const node: Node | null =
      tag === 'user' ? user && { type: 'user', id: user[1].toLowerCase(), name: body, replace: !!user[2] }
      : tag === 'chat' ? CHAT_ID.test(arg) ? { type: 'chat', id: arg.toLowerCase(), name: body } : null
      : param !== null || !body.trim() ? null
      : tag === 'url' ? { type: 'url', href: body.trim(), children: text }
      : tag === 'call' ? PHONE.test(body.trim()) ? { type: 'call', number: body.trim(), children: text } : null
      : tag === 'send' ? { type: 'send', command: body, children: text }
      : { type: 'put', text: body, children: text };
    return node ? (leaf(node), close + tag.length + 3) : -1;
  };

  /** Handle `[/tag]`: close the nearest open frame of that tag, dissolving unclosed ones above it. */
  const closing = (tag: string, raw: string): void => {
    let k = stack.length - 1;
    while (k > 0 && stack[k].tag !== tag) k--;
    if (k === 0) return void (pending += raw);
    flush();
    while (stack.length - 1 > k) dissolve();
    const f = pop();
    top().children.push(f.make(f.children));
  };

  let pos = 0;
  for (let lb = s.indexOf('['); lb >= 0; lb = s.indexOf('[', pos)) {
    pending += s.slice(pos, lb);
    pos = lb + 1;
    const slash = s[lb + 1] === '/' ? 1 : 0;
    let e = lb + 1 + slash;
    while (e < s.length && e - lb < 12 && /[a-z]/i.test(s[e])) e++;
    const tag = s.slice(lb + 1 + slash, e).toLowerCase();
    let resume = -1;
    if (KNOWN.has(tag) && slash && s[e] === ']') {
      closing(tag, s.slice(lb, e + 1));
      resume = e + 1;
    } else if (KNOWN.has(tag) && !slash && s[e] === ']') {
      resume = opening(tag, null, s.slice(lb, e + 1), e + 1);
    } else if (KNOWN.has(tag) && !slash && s[e] === '=') {
      const rb = nextBracket(e);
      const nl = nextNewline(e);
      const ok = rb >= 0 && rb - lb <= MAX_TAG && (nl < 0 || nl > rb);
      if (ok) resume = opening(tag, s.slice(e + 1, rb), s.slice(lb, rb + 1), rb + 1);
    }
    if (resume < 0) pending += '[';
    else pos = resume;
  }
  pending += s.slice(pos);
  flush();
  while (stack.length > 1) dissolve();
  return stack[0].children;
}

/**
 * Memoise a forward search `find(q)` (first match at or after q, or -1): the answer for `from` is
 * still the answer for any q in [from, at], so queries that creep forward cost one scan in total.
 */
function seeker(find: (q: number) => number): (q: number) => number {
  let from = Infinity;
  let at = -1;
  return (q) => {
    if (q < from || (at !== -1 && q > at)) {
      from = q;
      at = find(q);
    }
    return at;
  };
}

/** `[ICON=url size=30 title=Some title]`: the URL runs to the first space, a title may hold spaces. */
function parseIcon(param: string): IconNode | null {
  const [first, ...words] = param.split(/\s+/);
  const src = unquote(first);
  if (!src) return null;
  const icon: IconNode = { type: 'icon', src };
  const attrs: [string, string][] = [];
  for (const w of words) {
    const m = /^(size|width|height|title)=(.*)$/i.exec(w);
    if (m) attrs.push([m[1].toLowerCase(), m[2]]);
    else if (attrs.length) attrs[attrs.length - 1][1] += ` ${w}`;
  }
  for (const [key, raw] of attrs) {
    const value = unquote(raw);
    if (key === 'title') icon.title = value;
    else if (/^\d{1,4}$/.test(value) && +value > 0) icon[key as 'size'] = Math.min(Number(value), 1000);
  }
  return icon;
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0] ? v.slice(1, -1) : v;
}

/** Append text to a node list, merging with a preceding text node. */
function pushText(into: Node[], text: string): void {
  if (!text) return;
  const last = into[into.length - 1];
  if (last?.type === 'text') last.text += text;
  else into.push({ type: 'text', text });
}

/** Append text with its newlines as `br` and, unless inside a link, bare URLs as links or images. */
function appendText(into: Node[], text: string, linkify: boolean): void {
  text.split('\n').forEach((part, i) => {
    if (i > 0) into.push({ type: 'br' });
    if (!linkify) return pushText(into, part);
    let last = 0;
    BARE_URL.lastIndex = 0;
    for (let m = BARE_URL.exec(part); m; m = BARE_URL.exec(part)) {
      // "xhttp://" or "foo.www.bar" are not the start of a URL.
      if (m.index > 0 && /[\p{L}\p{N}_.\-@/]/u.test(part[m.index - 1])) continue;
      const url = trimUrl(m[0]);
      BARE_URL.lastIndex = m.index + Math.max(url.length, 1);
      if (!/^(?:https?:\/\/|www\.)./i.test(url)) continue;
      pushText(into, part.slice(last, m.index));
      const href = /^www\./i.test(url) ? `http://${url}` : url;
      // An image is a URL whose path (after the host; the whole URL, query included) ends in .png etc.
      const path = href.replace(/^https?:\/\/[^/?#]*/i, '');
      into.push(path.startsWith('/') && IMAGE_EXT.test(path) ? { type: 'image', src: href } : { type: 'link', href, text: url });
      last = m.index + url.length;
    }
    pushText(into, part.slice(last));
  });
}

/** Drop sentence punctuation after a URL, and a closing parenthesis it did not open. */
function trimUrl(url: string): string {
  let unopened = 0;
  for (const c of url) unopened += c === ')' ? 1 : c === '(' ? -1 : 0;
  let end = url.length;
  for (let c = url[end - 1]; c !== undefined; c = url[end - 1]) {
    if ('.,;:!?'.includes(c)) end--;
    else if (c === ')' && unopened > 0) (end--, unopened--);
    else break;
  }
  return url.slice(0, end);
}
