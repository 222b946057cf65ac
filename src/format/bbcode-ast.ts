/**
 * The tree a message's BB-code becomes. The parser (bbcode-parse.ts) is the only producer and the
 * renderers (bbcode-render.ts) the only consumers; HTML is never built from the raw text, so every
 * string below is untrusted user input until a renderer escapes it.
 */

/** Literal text; may contain tabs (kept as typed), never a newline (those become `br`). */
export interface TextNode {
  type: 'text';
  text: string;
}

/** [B], [I], [U], [S]: inline styling around other inline nodes. */
export interface StyleNode {
  type: 'bold' | 'italic' | 'underline' | 'strike';
  children: Node[];
}

/** [COLOR=#hex]: the colour is already validated as 3 or 6 hex digits. */
export interface ColorNode {
  type: 'color';
  color: string;
  children: Node[];
}

/** [SIZE=N]: the size is already clamped to the documented 8–30 px. */
export interface SizeNode {
  type: 'size';
  size: number;
  children: Node[];
}

/** [URL]x[/URL] or [URL=x]label[/URL]; `href` is unchecked here, the renderer vets the scheme. */
export interface UrlNode {
  type: 'url';
  href: string;
  children: Node[];
}

/** A bare URL found in text (http://, https://, www.); `text` is what the user typed. */
export interface LinkNode {
  type: 'link';
  href: string;
  text: string;
}

/**
 * A picture: a bare URL whose path ends in an image extension, or `[IMG size=…]URL [/IMG]` (then
 * `size` is the documented small / medium / large). `src` is unchecked here.
 */
export interface ImageNode {
  type: 'image';
  src: string;
  size?: 'small' | 'medium' | 'large';
}

/** [USER=5]Name[/USER]; `id` is digits or `all`; `replace` marks `[USER=5 REPLACE]` (name is to be filled in). */
export interface UserNode {
  type: 'user';
  id: string;
  name: string;
  replace: boolean;
}

/** [CHAT=12]Name[/CHAT]; `id` is digits or `imol|digits` (an open-line session). */
export interface ChatNode {
  type: 'chat';
  id: string;
  name: string;
}

/** [CALL=number]label[/CALL] or [CALL]number[/CALL]: a call button. */
export interface CallNode {
  type: 'call';
  number: string;
  children: Node[];
}

/** [SEND=command]label[/SEND] or [SEND]text[/SEND]: clicking sends `command` at once. */
export interface SendNode {
  type: 'send';
  command: string;
  children: Node[];
}

/** [PUT=text]label[/PUT] or [PUT]text[/PUT]: clicking puts `text` into the input field. */
export interface PutNode {
  type: 'put';
  text: string;
  children: Node[];
}

/** [ICON=url size=… width=… height=… title=…]: an inline picture; `src` is unchecked here. */
export interface IconNode {
  type: 'icon';
  src: string;
  size?: number;
  width?: number;
  height?: number;
  title?: string;
}

/** [CONTEXT=chat12/345]label[/CONTEXT]: a link to message 345 of dialog `chat12` (or of a user's dialog, digits). */
export interface ContextNode {
  type: 'context';
  dialogId: string;
  messageId: string;
  children: Node[];
}

/** [TIMESTAMP=1645844720 format=SHORT_TIME_FORMAT]: a moment shown in the reader's language and time zone. */
export interface TimestampNode {
  type: 'timestamp';
  /** Seconds since 1970. */
  unix: number;
  /** The format's name as sent (upper case), '' when none was given. */
  format: string;
}

/** [DISK=123]: a file of the portal's storage, by its id (digits). */
export interface DiskNode {
  type: 'disk';
  id: string;
}

/** [CODE]…[/CODE]: text kept exactly as typed (no BB-code, no links), shown as a monospace block. */
export interface CodeNode {
  type: 'code';
  text: string;
}

/** A line break: `\n`, `[BR]` or `#BR#`. */
export interface BrNode {
  type: 'br';
}

/**
 * A quote: consecutive `>>` lines, the dashed author block (then `author` and `date` are set when
 * its first line reads "Name [date]"), or [QUOTE]…[/QUOTE]. Each entry of `lines` is one line of
 * inline nodes (a [QUOTE] is one entry whose line breaks are `br` nodes).
 */
export interface QuoteNode {
  type: 'quote';
  author?: string;
  date?: string;
  lines: Node[][];
}

/**
 * Any node of a parsed message. `>>` and dashed quotes appear only at the top level; a [QUOTE] or a
 * [CODE] may also sit inside styling, never inside a link-like tag or another quote.
 */
export type Node =
  | TextNode
  | StyleNode
  | ColorNode
  | SizeNode
  | UrlNode
  | LinkNode
  | ImageNode
  | UserNode
  | ChatNode
  | CallNode
  | SendNode
  | PutNode
  | IconNode
  | ContextNode
  | TimestampNode
  | DiskNode
  | CodeNode
  | BrNode
  | QuoteNode;

/** The nodes shown as blocks of their own: a line break next to one is implied by the block. */
export const BLOCK_TYPES: ReadonlySet<Node['type']> = new Set(['quote', 'code']);
