/**
 * ATTACH: the structured part of a message (seed, "Вложения"). Accepted in the full form
 * (`{ID, COLOR, BLOCKS}`) or the short form (a list of blocks), as an object, a PHP-indexed map or a
 * JSON string, and stored as im.dialog.messages.get shows it: a list of `{ID, BLOCKS, COLOR}`.
 * As in Bitrix24, a block (or a block item) that does not validate is dropped; the whole attach
 * fails with ATTACH_ERROR only when nothing valid remains, and with ATTACH_OVERSIZE above 30 KB.
 */
import { fail } from '../errors.ts';
import { parseJsonInput } from '../wire/json-input.ts';

/** One stored block: a single key naming its type (USER, LINK, RICH_LINK, MESSAGE, GRID, IMAGE, FILE, DELIMITER). */
export type AttachBlock = Record<string, unknown>;
/** One stored attach object; COLOR is absent when the attach takes the chat's colour (the documented default). */
export interface AttachObject { ID: string; BLOCKS: AttachBlock[]; COLOR?: string }
/** What a message's params hold under ATTACH. */
export type AttachStored = AttachObject[];

/** The documented size limit of ATTACH, KEYBOARD and MENU (seed: "30 Кб"), on the stored JSON. */
export const MAX_PART_BYTES = 30 * 1024;

type Obj = Record<string, unknown>;

/** A plain object (not an array, not null). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A list: a JSON array, or a PHP array with integer keys (`{"0": …, "1": …}`); undefined otherwise. */
export function asList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (!isObj(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length === 0 || !keys.every((k) => /^(0|[1-9]\d*)$/.test(k))) return undefined;
  return keys.map((k) => v[k]);
}

/** PHP `isset`: present and not null. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** A scalar as a string ('' for anything else), as form and JSON clients send the same value. */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return '';
}

/** PHP `intval` of a scalar: leading digits of a string, truncated numbers, 0 otherwise. */
export function intval(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const m = /^\s*([+-]?\d+)/.exec(text(v));
  return m ? Number(m[1]) : 0;
}

/** A positive integer, or undefined (Bitrix24 drops zero, negative and non-numeric sizes and ids). */
export function positive(v: unknown): number | undefined {
  const n = intval(v);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

/** A `#RGB` / `#RRGGBB` colour, or undefined. */
export function hexColor(v: unknown): string | undefined {
  const s = text(v);
  return /^#[0-9a-f]{3}(?:[0-9a-f]{3})?$/i.test(s) ? s : undefined;
}

/**
 * A link a client may follow: absolute http(s), or a path from the portal root (the English
 * reference allows `/company/…`). Never `javascript:` and the like, never protocol-relative `//host`.
 */
export function safeLink(v: unknown): string | undefined {
  const s = text(v);
  // Control characters and whitespace let a link smuggle a scheme past naive renderers.
  if (!s || /[\u0000-\u0020\u007f\u2028\u2029]/.test(s)) return undefined;
  if (/^\/(?![/\\])/.test(s)) return s;
  if (!/^https?:\/\//i.test(s)) return undefined;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? s : undefined;
  } catch {
    return undefined;
  }
}

// Names are single-line in Bitrix24 (removeNewLine); values keep their lines.
const oneLine = (s: string) => s.replace(/\r\n|[\n\r\u2028\u2029\u0085]/g, ' ');

/** Parse a rich part as a client sent it (object, list or JSON string); `code` when it is not structured. */
export function decodePart(raw: unknown, code: 'ATTACH_ERROR' | 'KEYBOARD_ERROR' | 'MENU_ERROR'): Obj | unknown[] {
  let value = raw;
  if (typeof raw === 'string') {
    value = parseJsonInput(raw);
    if (value === undefined) fail(code);
  }
  if (Array.isArray(value) || isObj(value)) return value;
  fail(code);
}

/** Fail with `code` when the stored JSON of a part is above the documented limit. */
export function checkSize(stored: unknown, code: 'ATTACH_OVERSIZE' | 'KEYBOARD_OVERSIZE' | 'MENU_OVERSIZE'): void {
  if (Buffer.byteLength(JSON.stringify(stored)) > MAX_PART_BYTES) fail(code);
}

// A Bitrix24 Network user reference: one letter and a number (`n123`).
function networkId(v: unknown): string | undefined {
  const m = /^([a-z])(\d+)/i.exec(text(v));
  return m ? `${m[1]}${Number(m[2])}` : undefined;
}

// USER: a name, optionally a link to an entity (NETWORK_ID, USER_ID, CHAT_ID, BOT_ID — the first
// that is set wins) or to a URL, an avatar and its kind.
function user(p: unknown): Obj | undefined {
  if (!isObj(p)) return undefined;
  const name = oneLine(text(p.NAME)).trim();
  if (!name) return undefined;
  const out: Obj = { NAME: name, AVATAR_TYPE: 'USER' };
  const net = networkId(p.NETWORK_ID);
  if (net) out.NETWORK_ID = net;
  else if (positive(p.USER_ID)) out.USER_ID = positive(p.USER_ID);
  else if (positive(p.CHAT_ID)) Object.assign(out, { CHAT_ID: positive(p.CHAT_ID), AVATAR_TYPE: 'CHAT' });
  else if (positive(p.BOT_ID)) Object.assign(out, { BOT_ID: positive(p.BOT_ID), AVATAR_TYPE: 'BOT' });
  else if (safeLink(p.LINK)) out.LINK = safeLink(p.LINK);
  if (safeLink(p.AVATAR)) out.AVATAR = safeLink(p.AVATAR);
  if (['USER', 'CHAT', 'BOT'].includes(text(p.AVATAR_TYPE))) out.AVATAR_TYPE = text(p.AVATAR_TYPE);
  return out;
}

// LINK and RICH_LINK: a URL, or an entity (NETWORK_ID, USER_ID, CHAT_ID) together with a NAME.
function link(p: unknown, rich: boolean): Obj | undefined {
  if (!isObj(p)) return undefined;
  const out: Obj = {};
  const named = isSet(p.NAME) && text(p.NAME).trim() !== '';
  const url = safeLink(p.LINK);
  const net = networkId(p.NETWORK_ID);
  if (named && net) out.NETWORK_ID = net;
  else if (named && positive(p.USER_ID)) out.USER_ID = positive(p.USER_ID);
  else if (named && positive(p.CHAT_ID)) out.CHAT_ID = positive(p.CHAT_ID);
  else if (!url) return undefined;
  if (named) out.NAME = oneLine(text(p.NAME)).trim();
  if (url) out.LINK = url;
  const desc = text(p.DESC).trim();
  if (desc) out.DESC = rich ? oneLine(desc) : desc;
  // HTML is kept as data: whoever renders it must treat it as untrusted text.
  const html = text(p.HTML).trim();
  if (html) out.HTML = html;
  const preview = safeLink(p.PREVIEW);
  if (preview && (rich || !html)) {
    out.PREVIEW = preview;
    if (!rich && positive(p.WIDTH)) out.WIDTH = positive(p.WIDTH);
    if (!rich && positive(p.HEIGHT)) out.HEIGHT = positive(p.HEIGHT);
  } else if (rich && safeLink(p.EXTRA_IMAGE)) {
    out.EXTRA_IMAGE = safeLink(p.EXTRA_IMAGE);
  }
  return out;
}

// MESSAGE: non-empty text (BB-codes allowed; Bitrix24's `#BR#` becomes [BR]); also `{TEXT: …}`.
function message(p: unknown): string | undefined {
  const raw = isObj(p) ? text(p.TEXT) : text(p);
  const s = raw.trim().replaceAll('#BR#', '[BR]');
  return s || undefined;
}

const GRID_DISPLAY: Record<string, string> = { BLOCK: 'BLOCK', LINE: 'LINE', CARD: 'LINE', ROW: 'ROW', COLUMN: 'ROW', TABLE: 'TABLE' };

/**
 * One GRID item. Since REST revision 22 an item may lack NAME or VALUE (the other takes the full
 * width), so an item is dropped only when both are missing or blank; LINE items, laid out as cards,
 * are kept as Bitrix24 keeps them. COLUMN is stored as ROW, its current name in Bitrix24.
 */
function gridItem(p: unknown): Obj | undefined {
  if (!isObj(p)) return undefined;
  const display = GRID_DISPLAY[text(p.DISPLAY).toUpperCase()] ?? 'BLOCK';
  const name = oneLine(text(p.NAME)).trim();
  const value = text(p.VALUE).trim().replaceAll('#BR#', '[BR]');
  if (display !== 'LINE' && !name && !value) return undefined;
  const out: Obj = { DISPLAY: display, NAME: name, VALUE: value };
  if (hexColor(p.COLOR)) out.COLOR = hexColor(p.COLOR);
  for (const k of ['WIDTH', 'HEIGHT', 'USER_ID', 'CHAT_ID'] as const) if (positive(p[k])) out[k] = positive(p[k]);
  if (safeLink(p.LINK)) out.LINK = safeLink(p.LINK);
  return out;
}

function image(p: unknown): Obj | undefined {
  if (!isObj(p) || !safeLink(p.LINK)) return undefined;
  const out: Obj = {};
  const name = text(p.NAME).trim();
  if (name) out.NAME = name;
  out.LINK = safeLink(p.LINK);
  if (positive(p.WIDTH)) out.WIDTH = positive(p.WIDTH);
  if (positive(p.HEIGHT)) out.HEIGHT = positive(p.HEIGHT);
  if (safeLink(p.PREVIEW)) out.PREVIEW = safeLink(p.PREVIEW);
  return out;
}

function file(p: unknown): Obj | undefined {
  if (!isObj(p) || !safeLink(p.LINK)) return undefined;
  const out: Obj = { LINK: safeLink(p.LINK) };
  const name = oneLine(text(p.NAME)).trim();
  if (name) out.NAME = name;
  if (positive(p.SIZE)) out.SIZE = positive(p.SIZE);
  return out;
}

// DELIMITER: always valid; SIZE defaults to 200 px (English reference), COLOR only when a hex colour.
function delimiter(p: unknown): Obj {
  const o = isObj(p) ? p : {};
  const out: Obj = { SIZE: positive(o.SIZE) ?? 200 };
  if (hexColor(o.COLOR)) out.COLOR = hexColor(o.COLOR);
  return out;
}

// Items of a block that is one object or a list of them.
const items = (v: unknown): unknown[] => asList(v) ?? [v];
const valid = <T>(list: (T | undefined)[]): T[] => list.filter((x): x is T => x !== undefined);

/**
 * The stored blocks for one input block; [] when it is of an unknown type or does not validate.
 * The first known key decides the type, in Bitrix24's order. USER, LINK and RICH_LINK given as a
 * list become one block per item; GRID, IMAGE and FILE keep their valid items in one block.
 */
function blocks(b: unknown): AttachBlock[] {
  if (!isObj(b)) return [];
  if (isSet(b.USER)) return valid(items(b.USER).map(user)).map((u) => ({ USER: [u] }));
  if (isSet(b.LINK)) return valid(items(b.LINK).map((l) => link(l, false))).map((l) => ({ LINK: [l] }));
  if (isSet(b.RICH_LINK)) return valid(items(b.RICH_LINK).map((l) => link(l, true))).map((l) => ({ RICH_LINK: [l] }));
  if (isSet(b.MESSAGE)) {
    const m = message(b.MESSAGE);
    return m ? [{ MESSAGE: m }] : [];
  }
  const many = (key: string, one: (p: unknown) => Obj | undefined): AttachBlock[] => {
    const list = valid(items(b[key]).map(one));
    return list.length ? [{ [key]: list }] : [];
  };
  // A GRID, IMAGE or FILE given as one item rather than a list is taken as that item.
  if (isSet(b.GRID)) return many('GRID', gridItem);
  if (isSet(b.IMAGE)) return many('IMAGE', image);
  if (isSet(b.FILE)) return many('FILE', file);
  if (isSet(b.DELIMITER)) return [{ DELIMITER: delimiter(b.DELIMITER) }];
  return [];
}

/** Bitrix24's attach colour: TRANSPARENT, a hex colour, or the chat's colour (absent) for CHAT and anything else. */
function color(v: unknown): string | undefined {
  if (text(v).toUpperCase() === 'TRANSPARENT') return 'transparent';
  return hexColor(v);
}

function attachId(v: unknown, fallback: string): string {
  const s = text(v).trim();
  return s && s !== '0' ? s : fallback;
}

function build(id: string, rawBlocks: unknown, rawColor: unknown): AttachObject | undefined {
  const list = asList(rawBlocks) ?? (isObj(rawBlocks) ? Object.values(rawBlocks) : []);
  const out = list.flatMap(blocks);
  if (!out.length) return undefined;
  const c = color(rawColor);
  return c ? { ID: id, BLOCKS: out, COLOR: c } : { ID: id, BLOCKS: out };
}

/**
 * Normalize an ATTACH parameter into its stored form. Also takes a list of full-form attaches (what
 * im.dialog.messages.get returns), so a bot can send back what it read.
 */
export function normalizeAttach(raw: unknown): AttachStored {
  const value = decodePart(raw, 'ATTACH_ERROR');
  // Bitrix24 uses time() when no ID is given.
  const base = Math.floor(Date.now() / 1000);
  const list = asList(value);
  let out: (AttachObject | undefined)[];
  if (list && list.length && list.every((a) => isObj(a) && isSet(a.BLOCKS))) {
    out = list.map((a, i) => build(attachId((a as Obj).ID, String(base + i)), (a as Obj).BLOCKS, (a as Obj).COLOR));
  } else if (!list && isObj(value) && isSet(value.BLOCKS)) {
    out = [build(attachId(value.ID, String(base)), value.BLOCKS, value.COLOR)];
  } else {
    // The short form: blocks right away (a map without BLOCKS is read as its values, as PHP's foreach does).
    out = [build(String(base), list ?? Object.values(value), undefined)];
  }
  const stored = valid(out);
  if (!stored.length) fail('ATTACH_ERROR');
  checkSize(stored, 'ATTACH_OVERSIZE');
  return stored;
}
