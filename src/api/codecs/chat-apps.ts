/**
 * The parameters of imbot.app.register / update (chat apps): the owning bot (BOT_ID, 0 for an app
 * without a bot), the app named by APP_ID, and the fields — JS command or IFRAME, HASH, sizes,
 * CONTEXT, flags, LANG, ICON_FILE — read the same way for register and for update's FIELDS.
 */
import { fail } from '../../errors.ts';
import { flag, has, int, list, str, type Params } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import type { CallContext } from '../../rest/registry.ts';
import type { App, Bot } from '../../domain/types.ts';
import { botFamilyApp } from '../../domain/apps.ts';
import {
  CHAT_APP_CONTEXTS, findOwnChatApp, JS_METHODS, MAX_IFRAME, MIN_IFRAME, plainFramesAllowed, type ChatApp, type ChatAppFields,
  type ChatAppPhrase,
} from '../../domain/chat-apps.ts';
import { decodeBase64, MAX_ICON_BYTES, pngIconProblem } from '../../domain/images.ts';
import { callingBot } from './bots.ts';

/** The application and bot a chat app is registered for: BOT_ID of the calling app, or none (0 / absent). */
export function chatAppOwner(): Codec<{ bot: Bot | null; app: App }> {
  return new Codec('BOT_ID', async (p, name, ctx) => {
    if (int(p, name) > 0) return callingBot(ctx, p);
    return { bot: null, app: await botFamilyApp(ctx.portal.db, ctx, str(p, 'CLIENT_ID')) };
  }, false, 'BOT_ID_ERROR');
}

/** APP_ID as a chat app of the calling application (CLIENT_ID for a webhook): CHAT_APP_ID_ERROR / APP_ID_ERROR. */
export function ownChatApp(): Codec<ChatApp> {
  return new Codec<ChatApp>('APP_ID', async (p, name, ctx) => {
    const app = await botFamilyApp(ctx.portal.db, ctx, str(p, 'CLIENT_ID'));
    return findOwnChatApp(ctx.portal.db, app.id, int(p, name));
  }, true, 'CHAT_APP_ID_ERROR');
}

// Caps on what is kept: enough for any real title, command or URL, and no more.
const MAX_URL = 2048;
const MAX_TEXT = 1000;
const MAX_PHRASES = 50;
// The base64 of the largest icon, with room for a data: prefix and line breaks; longer is refused unread.
const MAX_ICON_TEXT = Math.ceil((MAX_ICON_BYTES * 4) / 3) + 4096;

/** LANG: the phrases with a language (lower-cased), each field a string within the caps. */
function phrases(items: unknown[]): ChatAppPhrase[] {
  return items.slice(0, MAX_PHRASES).filter((x): x is Params => !!x && typeof x === 'object')
    .map((x) => ({
      LANGUAGE_ID: str(x, 'LANGUAGE_ID').trim().toLowerCase().slice(0, 8), TITLE: str(x, 'TITLE').trim().slice(0, 255),
      DESCRIPTION: str(x, 'DESCRIPTION').trim().slice(0, MAX_TEXT), COPYRIGHT: str(x, 'COPYRIGHT').trim().slice(0, 255),
    }))
    .filter((x) => x.LANGUAGE_ID);
}

/** The JS command's parameter, checked for its method: a command text, a phone number, an open line's 32-character code. */
function jsParam(method: string, raw: string): string {
  const v = raw.trim();
  const ok = method === 'CALL' ? /^\+?[0-9()\-\s#*]{1,40}$/.test(v)
    : method === 'SUPPORT' ? /^[0-9a-f]{32}$/i.test(v)
    : v !== '' && v.length <= MAX_TEXT;
  if (!ok) {
    fail('PARAMS_ERROR', method === 'CALL' ? 'JS_PARAM must be a phone number for CALL'
      : method === 'SUPPORT' ? 'JS_PARAM must be the 32-character code of an open line for SUPPORT' : `JS_PARAM must be a command text for ${method}`);
  }
  return v;
}

/** The IFRAME URL: https, or http while the portal runs in local development mode (plainFramesAllowed). */
function frameUrl(raw: string, publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail('PARAMS_ERROR', 'IFRAME is not a URL');
  }
  if (raw.length > MAX_URL || url.username || url.password) fail('PARAMS_ERROR', 'IFRAME is too long or carries credentials');
  if (url.protocol === 'https:' || (url.protocol === 'http:' && plainFramesAllowed(publicUrl))) return url.toString();
  fail('IFRAME_HTTPS');
}

/** A frame size wish: an integer raised to the documented minimum and held under MAX_IFRAME. */
const size = (p: Params, name: string, min: number, max: number) => Math.min(max, Math.max(min, int(p, name)));

/** CONTEXT: one of the documented contexts, optionally with -ADMIN, any case; stored upper-cased. */
function context(raw: string): string {
  const v = raw.trim().toUpperCase();
  const base = v.replace(/-ADMIN$/, '');
  if (!(CHAT_APP_CONTEXTS as readonly string[]).includes(base)) fail('PARAMS_ERROR', `CONTEXT must be one of ${CHAT_APP_CONTEXTS.join(', ')}, optionally with -ADMIN`);
  return v;
}

/** ICON_FILE: base64 of a PNG (pngIconProblem), kept as base64; empty removes the icon. */
function icon(p: Params, name: string): string {
  const raw = str(p, name) || (list(p, name).filter((x) => typeof x === 'string').at(-1) as string | undefined) || '';
  if (!raw.trim()) return '';
  if (raw.length > MAX_ICON_TEXT) fail('PARAMS_ERROR', `ICON_FILE is larger than ${MAX_ICON_BYTES / 1024} KB`);
  const bytes = decodeBase64(raw);
  if (!bytes) fail('PARAMS_ERROR', 'ICON_FILE must be base64 of a PNG image');
  const problem = pngIconProblem(bytes);
  if (problem) fail('PARAMS_ERROR', problem);
  return bytes.toString('base64');
}

/**
 * The fields `p` sets (register: all of them, with defaults; update: FIELDS, only what is sent, over
 * `current`). A JS_METHOD makes a JS command and wins over an IFRAME sent with it (seed, update);
 * an IFRAME makes a frame app and needs a HASH (sent or kept); register with neither is PARAMS_ERROR.
 * Checked in the docs' order: IFRAME_HTTPS, HASH_ERROR, PARAMS_ERROR, then LANG_ERROR for a visible
 * app left without a title.
 */
export function chatAppFields(ctx: CallContext, p: Params, current?: ChatApp): Partial<ChatAppFields> {
  const out: Partial<ChatAppFields> = {};
  const method = str(p, 'JS_METHOD').trim().toUpperCase();
  const iframe = str(p, 'IFRAME').trim();
  const mode = method ? 'js' : iframe ? 'iframe' : current ? (current.js_method ? 'js' : 'iframe') : undefined;
  if (method && !(JS_METHODS as readonly string[]).includes(method)) fail('PARAMS_ERROR', `JS_METHOD must be one of ${JS_METHODS.join(', ')}`);
  if (mode === 'iframe') {
    if (iframe) out.iframe = frameUrl(iframe, ctx.portal.publicUrl);
    const hash = has(p, 'HASH') ? str(p, 'HASH').trim() : current?.hash ?? '';
    if (!hash) fail('HASH_ERROR');
    if (hash.length > 255) fail('PARAMS_ERROR', 'HASH is longer than 255 characters');
    // Written when sent, or with a new frame (a JS command switching to a frame keeps the stored HASH).
    if (iframe || has(p, 'HASH')) out.hash = hash;
    if (iframe) Object.assign(out, { js_method: '', js_param: '' });
  } else if (mode === 'js') {
    const jsMethod = method || current!.js_method;
    if (method || has(p, 'JS_PARAM')) {
      const param = has(p, 'JS_PARAM') || !current?.js_method ? str(p, 'JS_PARAM') : current.js_param;
      Object.assign(out, { js_method: jsMethod, js_param: jsParam(jsMethod, param), iframe: '' });
    }
    if (has(p, 'HASH')) out.hash = str(p, 'HASH').trim().slice(0, 255);
  } else {
    fail('PARAMS_ERROR', 'Give either JS_METHOD with JS_PARAM or IFRAME with HASH');
  }
  if (!current || has(p, 'IFRAME_WIDTH')) out.iframe_width = has(p, 'IFRAME_WIDTH') ? size(p, 'IFRAME_WIDTH', MIN_IFRAME.width, MAX_IFRAME.width) : 350;
  if (!current || has(p, 'IFRAME_HEIGHT')) out.iframe_height = has(p, 'IFRAME_HEIGHT') ? size(p, 'IFRAME_HEIGHT', MIN_IFRAME.height, MAX_IFRAME.height) : 150;
  if (!current || has(p, 'CONTEXT')) out.context = str(p, 'CONTEXT').trim() ? context(str(p, 'CONTEXT')) : 'ALL';
  for (const [key, col] of [['IFRAME_POPUP', 'iframe_popup'], ['HIDDEN', 'hidden'], ['EXTRANET_SUPPORT', 'extranet_support'], ['LIVECHAT_SUPPORT', 'livechat_support']] as const) {
    if (!current || has(p, key)) out[col] = flag(p, key) ? 1 : 0;
  }
  // New phrases replace all previous ones, as for commands.
  if (!current || has(p, 'LANG')) out.lang = JSON.stringify(phrases(list(p, 'LANG')));
  if (!current || has(p, 'ICON_FILE')) out.icon = icon(p, 'ICON_FILE');
  const hidden = out.hidden ?? current?.hidden ?? 0;
  const titled = (JSON.parse(out.lang ?? current?.lang ?? '[]') as ChatAppPhrase[]).some((x) => x.TITLE);
  if (!hidden && !titled) fail('LANG_ERROR');
  return out;
}
