/**
 * The inline half of the BB-code parser: one run of text (no `>>` or dashed quotes, which
 * bbcode-parse.ts finds line by line) into nodes. Unknown tags, bad parameters and unbalanced tags
 * stay literal text. Every scan is forward-only with cached look-aheads, so the cost stays linear in
 * the input however hostile it is.
 */
import type { IconNode, Node } from './bbcode-ast.ts';

/** Tags nest this deep at most; deeper openers stay text, which bounds recursion everywhere. */
const MAX_DEPTH = 20;
/** A tag's `[…]` longer than this is not a tag (keeps the per-tag work bounded). */
const MAX_TAG = 2048;
const STYLE = { b: 'bold', i: 'italic', u: 'underline', s: 'strike' } as const;
/** Link-like tags: none of them may appear inside another, and bare URLs are not linked inside them. */
const LINKY = new Set(['url', 'user', 'chat', 'call', 'send', 'put', 'context']);
/** Blocks whose content runs to their closing tag, across lines: [CODE] verbatim, [QUOTE] parsed. */
const BLOCKS = new Set(['code', 'quote']);
const KNOWN = new Set(['b', 'i', 'u', 's', 'color', 'size', 'br', 'icon', 'img', 'timestamp', 'disk', ...BLOCKS, ...LINKY]);
const USER_ID = /^(\d+|all)(\s+replace)?$/i;
const CHAT_ID = /^(\d+|imol\|\d+)$/i;
/** [CONTEXT=dialog/message]: a user's dialog (digits) or a chat's (chatN), then the message id. */
const CONTEXT_ID = /^(chat\d{1,18}|\d{1,18})\/(\d{1,18})$/i;
const TIMESTAMP = /^(\d{1,12})(?:\s+format=([a-z_]{1,40}))?$/i;
const DISK_ID = /^\d{1,18}$/;
const IMG_SIZE = /^size=(small|medium|large)$/i;
const PHONE = /^\+?[\d(][\d\s()\-.*#]{0,31}$/;
const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
/** Bare URLs: the character class excludes what ends a URL in prose and everything HTML-special. */
const BARE_URL = /(?:https?:\/\/|www\.)[^\s<>[\]"'`]+/gi;
const IMAGE_EXT = /\.(?:png|jpe?g|gif|webp)$/i;

interface Frame {
  tag: string;
  /** The opening tag as typed, put back as text if the frame is never closed. */
  raw: string;
  make: (children: Node[]) => Node;
  children: Node[];
}

/** Parse one run of inline text (no `>>` or dashed quotes); newlines become `br`. */
export function parseInline(s: string): Node[] {
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
    if (tag === 'timestamp') {
      const m = param === null ? null : TIMESTAMP.exec(arg);
      return m ? (leaf({ type: 'timestamp', unix: Number(m[1]), format: (m[2] ?? '').toUpperCase() }), end) : -1;
    }
    if (tag === 'disk') return param !== null && DISK_ID.test(arg) ? (leaf({ type: 'disk', id: arg }), end) : -1;
    if (BLOCKS.has(tag)) {
      // A block runs to its first closing tag, newlines included; never inside a link-like tag.
      const close = param === null && linkDepth === 0 ? findClose(tag, end) : -1;
      if (close < 0) return -1;
      const body = trimBlock(s.slice(end, close));
      // The body of a [QUOTE] holds no [/QUOTE], so a [QUOTE] inside it stays text: one level only.
      leaf(tag === 'code' ? { type: 'code', text: body } : { type: 'quote', lines: [parseInline(body)] });
      return close + tag.length + 3;
    }
    if (tag === 'img') return verbatimImage(param === null ? '' : arg, param !== null, end);
    if (linkDepth > 0) return -1; // link-like tags never nest
    if (param !== null && tag !== 'user' && tag !== 'chat') {
      const value = tag === 'url' ? unquote(arg) : param;
      const context = tag === 'context' ? CONTEXT_ID.exec(arg) : null;
      if (!arg || (tag === 'call' && !PHONE.test(arg)) || (tag === 'context' && !context)) return -1;
      const label = (c: Node[]): Node[] => (c.length ? c : [{ type: 'text', text: value }]);
      const make: Frame['make'] =
        tag === 'url' ? (c) => ({ type: 'url', href: value, children: label(c) })
        : tag === 'call' ? (c) => ({ type: 'call', number: arg, children: label(c) })
        : tag === 'send' ? (c) => ({ type: 'send', command: value, children: label(c) })
        : context ? (c) => ({ type: 'context', dialogId: context[1].toLowerCase(), messageId: context[2], children: label(c) })
        : (c) => ({ type: 'put', text: value, children: label(c) });
      return open(tag, raw, make) ? end : -1;
    }
    // The rest take their content verbatim, on one line, up to the closing tag: a name, a URL, a command.
    const body = verbatim(tag, end);
    if (body === null) return -1;
    const user = tag === 'user' ? USER_ID.exec(arg) : null;
    const text: Node[] = [{ type: 'text', text: body }];
    const node: Node | null =
      tag === 'user' ? user && { type: 'user', id: user[1].toLowerCase(), name: body, replace: !!user[2] }
      : tag === 'chat' ? CHAT_ID.test(arg) ? { type: 'chat', id: arg.toLowerCase(), name: body } : null
      : param !== null || !body.trim() ? null
      : tag === 'url' ? { type: 'url', href: body.trim(), children: text }
      : tag === 'call' ? PHONE.test(body.trim()) ? { type: 'call', number: body.trim(), children: text } : null
      : tag === 'send' ? { type: 'send', command: body, children: text }
      : tag === 'put' ? { type: 'put', text: body, children: text }
      : null;
    return node ? (leaf(node), end + body.length + tag.length + 3) : -1;
  };

  /** The text from `end` to the tag's closing tag when both are on one line, else null. */
  const verbatim = (tag: string, end: number): string | null => {
    const close = findClose(tag, end);
    const nl = nextNewline(end);
    return close < 0 || (nl >= 0 && nl < close) ? null : s.slice(end, close);
  };

  /** `[IMG size=…]URL [/IMG]` (the size one of three when given, as the docs require it); also inside a link. */
  const verbatimImage = (attrs: string, withAttrs: boolean, end: number): number => {
    const size = withAttrs ? IMG_SIZE.exec(attrs)?.[1].toLowerCase() as 'small' | 'medium' | 'large' | undefined : undefined;
    const body = withAttrs && !size ? null : verbatim('img', end);
    if (body === null || !body.trim()) return -1;
    leaf(size ? { type: 'image', src: body.trim(), size } : { type: 'image', src: body.trim() });
    return end + body.length + 6;
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
    } else if (KNOWN.has(tag) && !slash && (s[e] === '=' || (s[e] === ' ' && tag === 'img'))) {
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
export function seeker(find: (q: number) => number): (q: number) => number {
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

/** A block's content without the one line break after its opening and before its closing tag. */
function trimBlock(body: string): string {
  const from = body.startsWith('\n') ? 1 : 0;
  const to = body.length > from && body.endsWith('\n') ? body.length - 1 : body.length;
  return body.slice(from, to);
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
