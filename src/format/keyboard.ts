/**
 * KEYBOARD and MENU: buttons under a message and items of its context menu (seed, "Работа с
 * клавиатурами", "Работа с контекстным меню"). Accepted as `{BUTTONS: […]}` / `{ITEMS: […]}` or a bare
 * list, as an object, a PHP-indexed map or a JSON string; stored as the list of normalized buttons,
 * each naming its bot with BOT_ID when the bot is known (Bitrix24's stored form). A button that does
 * not validate is dropped; KEYBOARD_ERROR / MENU_ERROR only when no button remains, *_OVERSIZE above 30 KB.
 */
import { fail } from '../errors.ts';
import { asList, checkSize, decodePart, hexColor, intval, isObj, isSet, positive, safeLink, text } from './attach.ts';

/** One stored keyboard button (`TYPE: 'BUTTON'`) or line break (`TYPE: 'NEWLINE'`), or one menu item. */
export type Button = Record<string, unknown>;

const ACTIONS = ['PUT', 'SEND', 'COPY', 'CALL', 'DIALOG'];
const COLOR_TOKENS = ['primary', 'secondary', 'alert', 'base'];
const COLOR_KEYS = ['BG_COLOR', 'TEXT_COLOR', 'OFF_BG_COLOR', 'OFF_TEXT_COLOR'] as const;

type Obj = Record<string, unknown>;

// Y/N flags: 'Y' as documented; JSON clients' `true` is read the same way.
const yes = (v: unknown) => v === true || text(v).toUpperCase() === 'Y';

/**
 * What a button does, in Bitrix24's order of precedence: a LINK (http(s) or a portal path), an app
 * (APP_ID, APP_PARAMS), an ACTION with its ACTION_VALUE, or a COMMAND for the bot. The first that is
 * valid wins and the others are not stored; undefined when none is.
 */
function target(p: Obj): Obj | undefined {
  const link = safeLink(p.LINK);
  if (link) return { LINK: link };
  // FUNCTION buttons run JavaScript in Bitrix24's own client and are not open to REST callers.
  if (isSet(p.FUNCTION)) return undefined;
  const appId = positive(p.APP_ID);
  if (appId) {
    const params = text(p.APP_PARAMS);
    return params.trim() ? { APP_ID: appId, APP_PARAMS: params } : { APP_ID: appId };
  }
  const action = text(p.ACTION).toUpperCase();
  const value = text(p.ACTION_VALUE);
  if (ACTIONS.includes(action) && value.trim()) return { ACTION: action, ACTION_VALUE: value };
  const command = text(p.COMMAND).trim().replace(/^\//, '');
  if (command) {
    const params = text(p.COMMAND_PARAMS);
    return { COMMAND: command, COMMAND_PARAMS: params.trim() ? params : '' };
  }
  return undefined;
}

// The common head of a button or item: its bot, label and target; undefined when it is not usable.
function head(p: unknown, botId: number): Obj | undefined {
  if (!isObj(p)) return undefined;
  const label = text(p.TEXT).trim();
  if (!label) return undefined;
  const to = target(p);
  if (!to) return undefined;
  const out: Obj = botId > 0 ? { BOT_ID: botId } : {};
  return Object.assign(out, { TYPE: 'BUTTON', ...to, TEXT: label });
}

const context = (v: unknown) => (['MOBILE', 'DESKTOP'].includes(text(v).toUpperCase()) ? text(v).toUpperCase() : 'ALL');

function button(p: unknown, botId: number, defaults: Obj): Button | undefined {
  if (isObj(p) && text(p.TYPE).toUpperCase() === 'NEWLINE') return { TYPE: 'NEWLINE' };
  const out = head(p, botId);
  if (!out) return undefined;
  const o = p as Obj;
  out.BLOCK = yes(o.BLOCK) ? 'Y' : 'N';
  out.CONTEXT = context(o.CONTEXT);
  out.DISABLED = yes(o.DISABLED) ? 'Y' : 'N';
  out.DISPLAY = text(o.DISPLAY).toUpperCase() === 'LINE' ? 'LINE' : 'BLOCK';
  if (positive(o.WIDTH)) out.WIDTH = positive(o.WIDTH);
  for (const k of COLOR_KEYS) {
    const c = hexColor(o[k]) ?? hexColor(defaults[k]);
    if (c) out[k] = c;
  }
  const token = text(o.BG_COLOR_TOKEN).toLowerCase();
  if (COLOR_TOKENS.includes(token)) out.BG_COLOR_TOKEN = token;
  return out;
}

function menuItem(p: unknown, botId: number): Button | undefined {
  const out = head(p, botId);
  if (!out) return undefined;
  delete out.TYPE;
  const o = p as Obj;
  out.CONTEXT = context(o.CONTEXT);
  out.DISABLED = yes(o.DISABLED) ? 'Y' : 'N';
  return out;
}

// The wrapper key (BUTTONS / ITEMS) or a bare list; a map without it is read as its values, as PHP does.
function unwrap(value: Obj | unknown[], keys: string[]): { list: unknown[]; wrapper: Obj } {
  if (isObj(value)) {
    const key = keys.find((k) => isSet(value[k]));
    if (key) return { list: asList(value[key]) ?? [], wrapper: value };
  }
  return { list: asList(value) ?? Object.values(value), wrapper: {} };
}

/**
 * Normalize a KEYBOARD parameter into its stored list of buttons. `botId` is the bot the keyboard
 * belongs to (the calling bot for imbot.*); otherwise the full form's BOT_ID is used, if any.
 */
export function normalizeKeyboard(raw: unknown, botId = 0): Button[] {
  const { list, wrapper } = unwrap(decodePart(raw, 'KEYBOARD_ERROR'), ['BUTTONS']);
  const owner = botId > 0 ? botId : Math.max(0, intval(wrapper.BOT_ID));
  const defaults = isObj(wrapper.COLORS) ? wrapper.COLORS : {};
  const stored = list.map((b) => button(b, owner, defaults)).filter((b): b is Button => b !== undefined);
  // Line breaks alone are not a keyboard.
  if (!stored.some((b) => b.TYPE === 'BUTTON')) fail('KEYBOARD_ERROR');
  checkSize(stored, 'KEYBOARD_OVERSIZE');
  return stored;
}

/**
 * Normalize a MENU parameter into its stored list of items (`{ITEMS: […]}` as Bitrix24 names the
 * wrapper, `{BUTTONS: […]}` as the keyboard does, or a bare list). A context menu is a plain list, so
 * NEWLINE entries have no meaning there and are dropped.
 */
export function normalizeMenu(raw: unknown, botId = 0): Button[] {
  const { list, wrapper } = unwrap(decodePart(raw, 'MENU_ERROR'), ['ITEMS', 'BUTTONS']);
  const owner = botId > 0 ? botId : Math.max(0, intval(wrapper.BOT_ID));
  const stored = list.map((b) => menuItem(b, owner)).filter((b): b is Button => b !== undefined);
  if (!stored.length) fail('MENU_ERROR');
  checkSize(stored, 'MENU_OVERSIZE');
  return stored;
}
