/**
 * Renderers for parsed BB-code. HTML is built from the tree only: every text and attribute value
 * is escaped, attributes are always double-quoted, and a URL reaches `href`/`src` only after its
 * scheme passes an allow-list — otherwise the node degrades to its escaped label.
 */
import type { Node, QuoteNode } from './bbcode-ast.ts';
import { parseBbcode } from './bbcode-parse.ts';

const LINK_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);
const IMAGE_SCHEMES = new Set(['http', 'https']);
const LINK_ATTRS = 'target="_blank" rel="noopener noreferrer nofollow"';
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML content and double-quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** What browsers ignore around a URL (C0 controls, space, and Unicode blanks), trimmed by hand. */
function isBlank(code: number): boolean {
  return code <= 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0x1680 || (code >= 0x2000 && code <= 0x200b)
    || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/**
 * The URL to put in an attribute, or null when it must not be one. Tabs and newlines are removed
 * anywhere and blanks trimmed at the ends, as a browser would before reading the scheme; the scheme
 * is then compared case-insensitively with the allow-list. Without a scheme only a bare host
 * ("bitrix24.ru/x") is accepted, as http; "javascript:" anywhere is refused. Entities are never
 * decoded: the text is BB-code, not HTML, and the escaped `&` keeps "javascript&#58;" inert.
 */
export function safeUrl(raw: string, schemes: ReadonlySet<string> = LINK_SCHEMES): string | null {
  const url = raw.replace(/[\t\n\r]/g, '');
  let a = 0;
  let b = url.length;
  while (a < b && isBlank(url.charCodeAt(a))) a++;
  while (b > a && isBlank(url.charCodeAt(b - 1))) b--;
  const clean = url.slice(a, b);
  // Never worth the risk, even after an allowed scheme ("https://x/?next=javascript:…").
  if (!clean || /javascript:/i.test(clean)) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(clean);
  if (scheme) return schemes.has(scheme[1].toLowerCase()) ? clean : null;
  return /^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]|$)/i.test(clean) ? `http://${clean}` : null;
}

/** Render nodes as safe HTML for the messenger UI. */
export function toHtml(nodes: Node[]): string {
  let html = '';
  nodes.forEach((node, i) => {
    // A quote is a block: the line breaks around it are already implied by the block itself.
    if (node.type === 'br' && (nodes[i - 1]?.type === 'quote' || nodes[i + 1]?.type === 'quote')) return;
    html += nodeHtml(node);
  });
  return html;
}

function wrap(tag: string, attrs: string, children: Node[]): string {
  return `<${tag}${attrs ? ` ${attrs}` : ''}>${toHtml(children)}</${tag}>`;
}

function attr(name: string, value: string | number): string {
  return `${name}="${escapeHtml(String(value))}"`;
}

function nodeHtml(node: Node): string {
  switch (node.type) {
    case 'text':
      return escapeHtml(node.text);
    case 'br':
      return '<br>';
    case 'bold':
      return wrap('b', '', node.children);
    case 'italic':
      return wrap('i', '', node.children);
    case 'underline':
      return wrap('u', '', node.children);
    case 'strike':
      return wrap('s', '', node.children);
    case 'color':
      return wrap('span', attr('style', `color:${node.color}`), node.children);
    case 'size':
      return wrap('span', attr('style', `font-size:${node.size}px`), node.children);
    case 'url': {
      const href = safeUrl(node.href);
      return href ? wrap('a', `${attr('href', href)} ${LINK_ATTRS}`, node.children) : toHtml(node.children);
    }
    case 'link': {
      const href = safeUrl(node.href);
      return href ? `<a ${attr('href', href)} ${LINK_ATTRS}>${escapeHtml(node.text)}</a>` : escapeHtml(node.text);
    }
    case 'image': {
      const src = safeUrl(node.src, IMAGE_SCHEMES);
      return src ? `<img class="bx-image" ${attr('src', src)} loading="lazy" alt="">` : escapeHtml(node.src);
    }
    case 'icon': {
      const src = safeUrl(node.src, IMAGE_SCHEMES);
      if (!src) return escapeHtml(node.title ?? '');
      const width = node.width ?? node.size;
      const height = node.height ?? node.size;
      const title = node.title ?? '';
      return `<img class="bx-icon" ${attr('src', src)} ${attr('alt', title)}${title ? ` ${attr('title', title)}` : ''}`
        + `${width ? ` ${attr('width', width)}` : ''}${height ? ` ${attr('height', height)}` : ''} loading="lazy">`;
    }
    case 'user':
      return `<span class="bx-user" ${attr('data-user-id', node.id)}>${escapeHtml(node.name)}</span>`;
    case 'chat':
      return `<span class="bx-chat" ${attr('data-chat-id', node.id)}>${escapeHtml(node.name)}</span>`;
    case 'call': {
      // The UI places the call itself; tel: is the fallback any browser understands.
      const href = safeUrl(`tel:${node.number.replace(/[^\d+*#]/g, '')}`);
      return wrap('a', `class="bx-call" ${href ? `${attr('href', href)} ` : ''}${attr('data-call', node.number)}`, node.children);
    }
    case 'send':
      return wrap('button', `type="button" class="bx-send" ${attr('data-send', node.command)}`, node.children);
    case 'put':
      return wrap('button', `type="button" class="bx-put" ${attr('data-put', node.text)}`, node.children);
    case 'quote':
      return quoteHtml(node);
  }
}

function quoteHtml(node: QuoteNode): string {
  const head = node.author === undefined ? ''
    : `<div class="bx-quote-author"><b>${escapeHtml(node.author)}</b>`
      + `${node.date ? ` <span class="bx-quote-date">${escapeHtml(node.date)}</span>` : ''}</div>`;
  return `<blockquote class="bx-quote">${head}${node.lines.map(toHtml).join('<br>')}</blockquote>`;
}

/**
 * Render nodes as plain text (event MESSAGE text, notifications, previews): tags go, labels stay,
 * mentions become names, `br` a newline, and each quote line starts with `>>` — the author line as
 * "Name [date]" — on lines of its own.
 */
export function toPlainText(nodes: Node[]): string {
  let text = '';
  for (const node of nodes) text += nodeText(node);
  return text;
}

function nodeText(node: Node): string {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'br':
      return '\n';
    case 'link':
      return node.text;
    case 'image':
      return node.src;
    case 'icon':
      return node.title ?? '';
    case 'user':
    case 'chat':
      return node.name;
    case 'quote': {
      const lines = node.lines.map((line) => `>>${toPlainText(line)}`);
      if (node.author !== undefined) lines.unshift(`>>${node.author}${node.date ? ` [${node.date}]` : ''}`);
      return lines.join('\n');
    }
    default:
      return toPlainText(node.children);
  }
}

/** Parse BB-code and render it as safe HTML in one step. */
export function bbcodeToHtml(text: string): string {
  return toHtml(parseBbcode(text));
}

/** Parse BB-code and render it as plain text in one step. */
export function bbcodeToText(text: string): string {
  return toPlainText(parseBbcode(text));
}
