/**
 * Parsed BB-code as text: the plain text (event payloads, copy, quoting), the one-line preview
 * (recent list, reply snippets), whether anything visible is left once the tags are gone (an empty
 * message is refused), and a shortened tree for folding a long message. Pure functions of the tree,
 * shared by the server and the web messenger.
 */
import type { CodeNode, Node } from './bbcode-ast.ts';
import { parseBbcode } from './bbcode-parse.ts';

/** What rendering needs from its reader: the language dates are written in, and names of files. */
export interface RenderOptions {
  /** A BCP 47 language for [TIMESTAMP] (the runtime's default when absent or unknown). */
  locale?: string;
  /** An IANA time zone for [TIMESTAMP] (the runtime's, the reader's in a browser, when absent). */
  timeZone?: string;
  /** The name of the file [DISK=id] names, or undefined when unknown. */
  diskName?: (id: string) => string | undefined;
}

/** Intl options per Bitrix24 date format name; any other name shows date and time. */
const TIME_FORMATS: Record<string, Intl.DateTimeFormatOptions> = {
  SHORT_TIME_FORMAT: { hour: '2-digit', minute: '2-digit' },
  LONG_TIME_FORMAT: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  FORMAT_DATE: { dateStyle: 'short' },
  SHORT_DATE_FORMAT: { dateStyle: 'short' },
  MEDIUM_DATE_FORMAT: { dateStyle: 'medium' },
  LONG_DATE_FORMAT: { dateStyle: 'long' },
  FULL_DATE_FORMAT: { dateStyle: 'full' },
  DAY_MONTH_FORMAT: { day: 'numeric', month: 'long' },
  DAY_SHORT_MONTH_FORMAT: { day: 'numeric', month: 'short' },
};
const DATETIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/** A [TIMESTAMP] as its format asks, in the reader's language and time zone (see RenderOptions). */
export function formatTimestamp(unix: number, format: string, opts: RenderOptions = {}): string {
  const at = new Date(unix * 1000);
  const style = TIME_FORMATS[format] ?? DATETIME;
  try {
    return new Intl.DateTimeFormat(opts.locale, { ...style, timeZone: opts.timeZone }).format(at);
  } catch {
    // An unknown language or zone: the runtime's own rather than nothing.
    return new Intl.DateTimeFormat(undefined, style).format(at);
  }
}

/** The label of a [DISK=id] file: its name when the reader knows it. */
export function diskLabel(id: string, opts: RenderOptions = {}): string {
  return opts.diskName?.(id) ?? `File ${id}`;
}

/**
 * Render nodes as plain text (event MESSAGE text, notifications, copying, quoting): tags go, labels
 * stay, mentions become names, `br` a newline, code its text, and each quote line starts with `>>`
 * — the author line as "Name [date]" — on lines of its own.
 */
export function toPlainText(nodes: Node[], opts: RenderOptions = {}): string {
  return joinText(nodes, opts, false);
}

/** The nodes' text in a row; a quote that sits among inline nodes ([QUOTE]) still gets lines of its own. */
function joinText(nodes: Node[], opts: RenderOptions, preview: boolean): string {
  let text = '';
  let afterQuote = false;
  for (const node of nodes) {
    let part = nodeText(node, opts, preview);
    if (node.type === 'quote' && !preview) {
      if (text && !text.endsWith('\n')) part = `\n${part}`;
      afterQuote = true;
    } else if (afterQuote) {
      if (part && !part.startsWith('\n')) part = `\n${part}`;
      afterQuote = !part;
    }
    text += part;
  }
  return text;
}

function nodeText(node: Node, opts: RenderOptions, preview: boolean): string {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'br':
      return preview ? ' ' : '\n';
    case 'link':
      return node.text;
    case 'image':
      return node.src;
    case 'icon':
      return node.title ?? '';
    case 'user':
    case 'chat':
      return node.name;
    case 'code':
      return node.text;
    case 'timestamp':
      return formatTimestamp(node.unix, node.format, opts);
    case 'disk':
      return diskLabel(node.id, opts);
    case 'quote': {
      if (preview) return '';
      const lines = node.lines.flatMap((line) => toPlainText(line, opts).split('\n')).map((l) => `>>${l}`);
      if (node.author !== undefined) lines.unshift(`>>${node.author}${node.date ? ` [${node.date}]` : ''}`);
      return lines.join('\n');
    }
    default:
      return joinText(node.children, opts, preview);
  }
}

/**
 * One line for a list or a snippet: the visible text with runs of blanks as one space. Quotes are
 * what someone else wrote, so they are left out when the message says anything of its own; a
 * message that is only a quote shows the quoted words (no author, no date) in quotation marks.
 */
export function toPreviewText(nodes: Node[], opts: RenderOptions = {}): string {
  let own = '';
  const quoted: string[] = [];
  for (const node of nodes) {
    if (node.type === 'quote') quoted.push(node.lines.map((l) => collapse(toPreviewText(l, opts))).join(' '));
    else own += nodeText(node, opts, true);
  }
  own = collapse(own);
  if (own) return own;
  const words = collapse(quoted.join(' '));
  return words ? `“${words}”` : '';
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Anything a reader would see besides blanks (zero-width characters are blanks too). */
const VISIBLE = /[^\s\u200b-\u200d\u2060\ufeff]/;

/** Whether the nodes show anything: text that is not blank, a picture, a mention, a file, a time… */
export function hasVisibleContent(nodes: Node[]): boolean {
  return nodes.some((node) => {
    switch (node.type) {
      case 'text':
      case 'code':
        return VISIBLE.test(node.text);
      case 'br':
        return false;
      case 'quote':
        return !!node.author || node.lines.some(hasVisibleContent);
      case 'link':
      case 'image':
      case 'icon':
      case 'user':
      case 'chat':
      case 'timestamp':
      case 'disk':
        return true;
      default:
        return hasVisibleContent(node.children);
    }
  });
}

/** Whether BB-code text shows nothing once its tags are gone (`[b][/b]`, `[i] [/i]`, blanks). */
export function bbcodeIsBlank(text: string): boolean {
  return !hasVisibleContent(parseBbcode(text));
}

/** What a line break costs in a fold's budget: about one line of text. */
const LINE_COST = 40;

/**
 * The first part of a message for its folded view: text up to `budget` characters, each line break
 * counting as a line's worth, so both a long line and a wall of short ones are cut. `cut` says
 * whether anything was left out (a cut text ends with "…").
 */
export function foldNodes(nodes: Node[], budget: number): { nodes: Node[]; cut: boolean } {
  const state = { left: budget, cut: false };
  return { nodes: foldList(nodes, state), cut: state.cut };
}

interface FoldState { left: number; cut: boolean }

function foldList(nodes: Node[], state: FoldState): Node[] {
  const out: Node[] = [];
  for (const node of nodes) {
    if (state.left <= 0) {
      state.cut = true;
      break;
    }
    out.push(foldNode(node, state));
  }
  return out;
}

function foldNode(node: Node, state: FoldState): Node {
  switch (node.type) {
    case 'text': {
      if (node.text.length <= state.left) return (state.left -= node.text.length), node;
      const text = `${cutAt(node.text, state.left)}…`;
      state.left = 0;
      state.cut = true;
      return { type: 'text', text };
    }
    case 'br':
      state.left -= LINE_COST;
      return node;
    case 'code':
      return foldCode(node, state);
    case 'quote': {
      const lines: Node[][] = [];
      for (const line of node.lines) {
        if (state.left <= 0) {
          state.cut = true;
          break;
        }
        lines.push(foldList(line, state));
        state.left -= LINE_COST;
      }
      return { ...node, lines };
    }
    default:
      if ('children' in node) return { ...node, children: foldList(node.children, state) };
      state.left -= 1;
      return node;
  }
}

/** A code block to the budget: its characters, and a line's worth for each line break. */
function foldCode(node: CodeNode, state: FoldState): CodeNode {
  let end = 0;
  let left = state.left;
  while (end < node.text.length && left > 0) {
    left -= node.text[end] === '\n' ? LINE_COST : 1;
    end++;
  }
  state.left = left;
  if (end >= node.text.length) return node;
  state.cut = true;
  return { type: 'code', text: `${cutAt(node.text, end)}…` };
}

/** The first `n` UTF-16 units of `text`, never splitting a surrogate pair. */
function cutAt(text: string, n: number): string {
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/** Parse BB-code and render it as plain text in one step. */
export function bbcodeToText(text: string, opts: RenderOptions = {}): string {
  return toPlainText(parseBbcode(text), opts);
}

/** Parse BB-code and render its one-line preview in one step. */
export function bbcodeToPreview(text: string, opts: RenderOptions = {}): string {
  return toPreviewText(parseBbcode(text), opts);
}
