/**
 * The parameters of placement.bind / unbind: PLACEMENT, HANDLER, the texts and LANG_ALL, OPTIONS of
 * the messenger's places. Each reads the wire spelling once and fails with the documented code
 * (ERROR_ARGUMENT carries the parameter's name in `argument`, as Bitrix24's does).
 */
import { fail } from '../../errors.ts';
import { obj, pick, str, type Params } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import {
  CONTEXTS, PLACEMENT_COLORS, PLACES, placesFor, type LangTexts, type PlacementContext, type PlacementOptions,
} from '../../domain/placements.ts';

/** Longest handler URL kept (a browser's frame address, not a document). */
const MAX_URL = 2048;
/** Longest TITLE, GROUP_NAME and DESCRIPTION (per language too). */
const MAX_TITLE = 255;
const MAX_DESCRIPTION = 1000;
/** Most languages in LANG_ALL (Bitrix24 has about twenty interface languages). */
const MAX_LANGS = 40;

/** ERROR_ARGUMENT about one parameter, worded as Bitrix24 words it. */
function argument(name: string, text = `Argument '${name}' is null or empty`): never {
  fail('ERROR_ARGUMENT', text, { argument: name });
}

/** A string parameter that must be a string when sent ('' when absent). */
function stringArg(p: Params, name: string): string {
  const v = pick(p, name);
  if (v !== undefined && v !== null && typeof v === 'object') argument(name, `The value of an argument '${name}' must be of type string`);
  return str(p, name).trim();
}

/**
 * PLACEMENT: required (ERROR_ARGUMENT), upper-cased; with `known`, a messenger place of the caller's
 * scopes, or ERROR_PLACEMENT_NOT_FOUND (an unknown code, or one of a scope the app was not given).
 */
export function placementCode(known: boolean): Codec<string> {
  return new Codec<string>('placement code', (p, name, ctx) => {
    const code = stringArg(p, name).toUpperCase();
    if (!code) argument('PLACEMENT');
    if (known && !placesFor(ctx.scopes).includes(code)) fail('ERROR_PLACEMENT_NOT_FOUND', `Placement not found: ${code.slice(0, 64)}`);
    return code;
  }, true, 'ERROR_ARGUMENT');
}

/**
 * HANDLER: an absolute http(s) URL with a host and no credentials (ERROR_WRONG_HANDLER_URL /
 * ERROR_UNSUPPORTED_PROTOCOL), not on the portal's own origin: the messenger frames it with scripts
 * allowed, and a page of its own origin in such a frame could reach into the messenger. Required
 * (ERROR_ARGUMENT) unless `optional` (unbind: '' means every handler).
 */
export function placementHandler(optional = false): Codec<string> {
  return new Codec<string>('URL', (p, name, ctx) => {
    const raw = stringArg(p, name);
    if (!raw) return optional ? '' : argument('HANDLER');
    if (raw.length > MAX_URL) fail('ERROR_WRONG_HANDLER_URL', `Handler URL is longer than ${MAX_URL} characters`);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      fail('ERROR_WRONG_HANDLER_URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('ERROR_UNSUPPORTED_PROTOCOL', 'Handler URL must be http or https');
    if (!url.hostname || url.username || url.password) fail('ERROR_WRONG_HANDLER_URL');
    if (!optional && url.origin === new URL(ctx.portal.publicUrl).origin) fail('ERROR_WRONG_HANDLER_URL', "Handler URL may not be on the portal's own address");
    return url.toString();
  }, !optional, optional ? undefined : 'ERROR_ARGUMENT');
}

/** TITLE, DESCRIPTION or GROUP_NAME: a string of at most `max` characters. */
export function placementText(max: 'title' | 'description'): Codec<string> {
  const limit = max === 'title' ? MAX_TITLE : MAX_DESCRIPTION;
  return new Codec<string>('string', (p, name) => {
    const v = stringArg(p, name);
    if (v.length > limit) argument(name, `The value of an argument '${name}' is longer than ${limit} characters`);
    return v;
  });
}

/** LANG_ALL: {lang: {TITLE, DESCRIPTION, GROUP_NAME}}; language codes as `en`, `pt_br`. */
export function langAll(): Codec<LangTexts> {
  return new Codec<LangTexts>('object', (p, name) => {
    const raw = obj(p, name);
    const langs = Object.keys(raw);
    if (langs.length > MAX_LANGS) argument(name, `LANG_ALL may name at most ${MAX_LANGS} languages`);
    const out: LangTexts = Object.create(null);
    for (const lang of langs) {
      if (!/^[a-z]{2}(?:[_-][a-z]{2,4})?$/i.test(lang)) argument(name, `LANG_ALL: '${lang.slice(0, 16)}' is not a language code`);
      const texts = raw[lang];
      if (!texts || typeof texts !== 'object') argument(name, `LANG_ALL[${lang}] must be an object`);
      const t = texts as Params;
      const text = (key: string, limit: number) => {
        const v = stringArg(t, key);
        if (v.length > limit) argument(name, `LANG_ALL[${lang}][${key}] is longer than ${limit} characters`);
        return v;
      };
      out[lang.toLowerCase()] = { title: text('TITLE', MAX_TITLE), description: text('DESCRIPTION', MAX_DESCRIPTION), groupName: text('GROUP_NAME', MAX_TITLE) };
    }
    return out;
  });
}

/** USER_ID: only PAGE_BACKGROUND_WORKER takes one, which Parley has not; any other id is ERROR_PLACEMENT_USER_MODE. */
export function placementUser(): Codec<number> {
  return new Codec<number>('integer', (p, name) => {
    const v = Number.parseInt(str(p, name), 10) || 0;
    if (v !== 0) fail('ERROR_PLACEMENT_USER_MODE');
    return 0;
  }, false, 'ERROR_PLACEMENT_USER_MODE');
}

// One option's value as a string (OPTIONS arrive as form strings or JSON scalars).
function option(o: Params, key: string): string {
  const v = pick(o, key);
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') fail('ERROR_ARGUMENT', `OPTIONS[${key}] must be a string`, { argument: key });
  return String(v).trim();
}

// A size in pixels: a positive integer up to 10,000 (the messenger shrinks what does not fit).
function size(o: Params, key: string): number | undefined {
  const raw = option(o, key);
  if (!raw) return undefined;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > 10_000) fail('ERROR_ARGUMENT', `OPTIONS[${key}] must be a number of pixels`, { argument: key });
  return Number(raw);
}

/**
 * OPTIONS of a messenger place, read after PLACEMENT (declare it after): iconName where the place needs
 * one (ERROR_ARGUMENT with `argument` iconName; Font Awesome class names, letters, digits, `-`, `_` and
 * spaces, at most 50), context (`;`-separated USER, CHAT, LINES, CRM, ALL; ALL with others is ALL),
 * role USER/ADMIN, extranet Y/N, color from the documented list, width/height. Keys a place does not
 * take are not kept; a wrong value of one it takes is ERROR_ARGUMENT.
 */
export function placementOptions(): Codec<PlacementOptions> {
  return new Codec<PlacementOptions>('object', (p, name) => {
    const place = PLACES[str(p, 'PLACEMENT').trim().toUpperCase()];
    const o = obj(p, name);
    const out: PlacementOptions = { context: ['ALL'], adminOnly: false, extranet: false };
    if (place?.icon === 'required') {
      const icon = option(o, 'iconName');
      if (!icon) fail('ERROR_ARGUMENT', "Argument 'iconName' is null or empty", { argument: 'iconName' });
      if (icon.length > 50 || !/^[A-Za-z0-9 _-]+$/.test(icon)) fail('ERROR_ARGUMENT', 'OPTIONS[iconName] must be a Font Awesome class name', { argument: 'iconName' });
      out.iconName = icon;
    }
    const role = option(o, 'role').toUpperCase() || 'USER';
    if (role !== 'USER' && role !== 'ADMIN') fail('ERROR_ARGUMENT', 'OPTIONS[role] must be USER or ADMIN', { argument: 'role' });
    out.adminOnly = role === 'ADMIN';
    const extranet = option(o, 'extranet').toUpperCase() || 'N';
    if (extranet !== 'Y' && extranet !== 'N') fail('ERROR_ARGUMENT', 'OPTIONS[extranet] must be Y or N', { argument: 'extranet' });
    out.extranet = extranet === 'Y';
    if (place?.context) {
      const parts = option(o, 'context').toUpperCase().split(';').map((s) => s.trim()).filter(Boolean);
      const bad = parts.find((s) => !(CONTEXTS as readonly string[]).includes(s));
      if (bad !== undefined) fail('ERROR_ARGUMENT', `OPTIONS[context]: unknown context ${bad.slice(0, 16)}; use ${CONTEXTS.join(', ')}`, { argument: 'context' });
      const kinds = [...new Set(parts)] as PlacementContext[];
      out.context = !kinds.length || kinds.includes('ALL') ? ['ALL'] : kinds;
    }
    if (place?.color) {
      const color = option(o, 'color').toUpperCase();
      if (color && !(PLACEMENT_COLORS as readonly string[]).includes(color)) fail('ERROR_ARGUMENT', `OPTIONS[color] must be one of ${PLACEMENT_COLORS.join(', ')}`, { argument: 'color' });
      if (color) out.color = color;
    }
    if (place?.size) {
      out.width = size(o, 'width') ?? 100;
      out.height = size(o, 'height') ?? 100;
    }
    return out;
  });
}
