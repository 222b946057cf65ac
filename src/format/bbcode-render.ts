/**
 * Renderers for parsed BB-code. HTML is built from the tree only: every text and attribute value
 * is escaped, attributes are always double-quoted, and a URL reaches `href`/`src` only after its
 * scheme passes an allow-list — otherwise the node degrades to its escaped label.
 */
import { BLOCK_TYPES, type Node, type QuoteNode } from './bbcode-ast.ts';
import { parseBbcode } from './bbcode-parse.ts';
import { diskLabel, formatTimestamp, type RenderOptions } from './bbcode-text.ts';

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
export function toHtml(nodes: Node[], opts: RenderOptions = {}): string {
  let html = '';
  nodes.forEach((node, i) => {
    // A quote or a code block is a block: the line breaks around it are implied by the block itself.
    if (node.type === 'br' && (BLOCK_TYPES.has(nodes[i - 1]?.type) || BLOCK_TYPES.has(nodes[i + 1]?.type))) return;
    html += nodeHtml(node, opts);
  });
  return html;
}

function attr(name: string, value: string | number): string {
  return `${name}="${escapeHtml(String(value))}"`;
}

/** Mentions and dialog links are buttons when the messenger can open what they name. */
const OPENABLE = /^\d+$/;
const IMAGE_SIZES = { small: 'bx-image bx-image-small', medium: 'bx-image bx-image-medium', large: 'bx-image bx-image-large' };

function nodeHtml(node: Node, opts: RenderOptions): string {
  const wrap = (tag: string, attrs: string, children: Node[]) => `<${tag}${attrs ? ` ${attrs}` : ''}>${toHtml(children, opts)}</${tag}>`;
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
      return href ? wrap('a', `${attr('href', href)} ${LINK_ATTRS}`, node.children) : toHtml(node.children, opts);
    }
    case 'link': {
      const href = safeUrl(node.href);
      return href ? `<a ${attr('href', href)} ${LINK_ATTRS}>${escapeHtml(node.text)}</a>` : escapeHtml(node.text);
    }
    case 'image': {
      const src = safeUrl(node.src, IMAGE_SCHEMES);
      return src ? `<img ${attr('class', node.size ? IMAGE_SIZES[node.size] : 'bx-image')} ${attr('src', src)} loading="lazy" alt="">` : escapeHtml(node.src);
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
      return chip('bx-user', attr('data-user-id', node.id), OPENABLE.test(node.id), node.name);
    case 'chat':
      return chip('bx-chat', attr('data-chat-id', node.id), OPENABLE.test(node.id), node.name);
    case 'context':
      return wrap('button', `type="button" class="bx-context" ${attr('data-dialog-id', node.dialogId)} ${attr('data-message-id', node.messageId)}`, node.children);
    case 'disk':
      return chip('bx-disk', attr('data-disk-id', node.id), true, `\u{1F4CE}\u00a0${diskLabel(node.id, opts)}`);
    case 'timestamp': {
      const at = new Date(node.unix * 1000);
      return `<time class="bx-timestamp" ${attr('datetime', at.toISOString())}>${escapeHtml(formatTimestamp(node.unix, node.format, opts))}</time>`;
    }
    case 'code':
      // Focusable, so a keyboard can scroll a long line sideways; a block takes its direction from its own text.
      return `<pre class="bx-code" dir="auto" tabindex="0">${escapeHtml(node.text)}</pre>`;
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
      return quoteHtml(node, opts);
  }
}

/** A mention chip: a button when the messenger can open it, else a plain label. */
function chip(kind: string, data: string, button: boolean, label: string): string {
  return button ? `<button type="button" class="${kind}" ${data}>${escapeHtml(label)}</button>` : `<span class="${kind}" ${data}>${escapeHtml(label)}</span>`;
}

function quoteHtml(node: QuoteNode, opts: RenderOptions): string {
  const head = node.author === undefined ? ''
    : `<div class="bx-quote-author"><b>${escapeHtml(node.author)}</b>`
      + `${node.date ? ` <span class="bx-quote-date">${escapeHtml(node.date)}</span>` : ''}</div>`;
  return `<blockquote class="bx-quote" dir="auto">${head}${node.lines.map((line) => toHtml(line, opts)).join('<br>')}</blockquote>`;
}

/** Parse BB-code and render it as safe HTML in one step. */
export function bbcodeToHtml(text: string, opts: RenderOptions = {}): string {
  return toHtml(parseBbcode(text), opts);
}
