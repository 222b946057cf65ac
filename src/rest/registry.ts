/**
 * The method registry: each API family registers its methods here under their public dotted name
 * (lower-cased, as Bitrix24 matches names case-insensitively), with the scope they require and the
 * access they declare (what they act on; the access-control matrix test is generated from it).
 */
import type { ErrorCode } from '../errors.ts';
import type { InputOf, Schema } from './schema.ts';
import type { CallContext } from './context.ts';

export type { App, User } from '../store/rows.ts';

export type { CallContext } from './context.ts';

/** What a list method returns: the page and the paging fields lifted into the envelope. */
export class Page {
  constructor(readonly items: unknown, readonly total: number, readonly next?: number) {}
}

/**
 * Who may call a method, by what it acts on. Declared next to every method; the access-control
 * matrix test (test/access-matrix.test.ts) is generated from it, caller kind by target.
 * - `none`: nothing of anyone's (server.time, methods, profile): every caller with the scope.
 * - `self`: only the caller's own state (recent list, counters, own notifications, status, tasks).
 * - `portal`: the directory every employee reads or writes to (users, departments, new chats, notifications to a person).
 * - `dialog`: a dialog named by DIALOG_ID / CHAT_ID that only its members act on.
 * - `read`: a dialog its members read or act on; anyone may read an open chat (where a visitor's own
 *   state, like a read mark or a pin, is the documented `false`).
 * - `message`: a message named by MESSAGE_ID: only who may see it, in its chat and history.
 * - `file`: a chat file or folder named by its id: only who may read that chat.
 * - `bot`: a bot of the calling app (BOT_ID, COMMAND_ID, CLIENT_ID), acting where that bot is a member.
 * - `app`: the calling application itself (event handlers): an OAuth token, not a webhook.
 * - `admin`: the whole portal: the `parley` scope and an administrator (parley.*).
 * - `settings`: the portal's settings its administrators change under the method's own scope, without
 *   `parley` (imopenlines.config.add/update/delete): an administrator, directly or through an app
 *   token or webhook acting for one; anyone else gets the method's `denied`.
 * - `line`: a line chat or session (imopenlines.*): its line's operators and administrators act on
 *   it, anyone else is refused (ACCESS_DENIED), a customer never acts.
 * - `linebot`: a line chat the calling app's bot handles (imopenlines.bot.session.*).
 * - `appadmin`: the calling application, by an administrator's token (placement.bind/unbind/get): a
 *   webhook is WRONG_AUTH_TYPE, a user who is no administrator ACCESS_DENIED.
 * - `messenger`: the web messenger's own session only (parley.placement.*: it hands out other apps'
 *   tokens): an app token or a webhook is WRONG_AUTH_TYPE; a dialog named must be one the user reads.
 * - `botv2`: a Chatbots 2.0 bot (imbot.v2.*, `botId`) its owner acts for — the OAuth app that
 *   registered it, or an incoming webhook with its `botToken` — where that bot is a member.
 * - `console`: an administrator at the developer console, i.e. in their own web messenger session
 *   (parley.user.password.set: another person's password): any webhook or app token, an
 *   administrator's with `parley` too, is WRONG_AUTH_TYPE; someone else's messenger ACCESS_DENIED.
 */
export type Access = 'none' | 'self' | 'portal' | 'dialog' | 'read' | 'message' | 'file' | 'bot' | 'app' | 'admin' | 'settings' | 'line' | 'linebot'
  | 'appadmin' | 'messenger' | 'botv2' | 'console';

/** One REST method: who may call it, its parameters, and the handler that gets them typed. */
export interface MethodDef<S extends Schema = Schema> {
  name: string;
  /** Required scope; null for methods every caller may use (`basic`). */
  scope: string | null;
  /**
   * Other scopes that admit the method as well (any one of them is enough): the docs list the
   * imconnector.* methods under both `imopenlines` and `imconnector`.
   */
  orScopes?: readonly string[];
  /** What the method acts on, and so who may call it (see Access). */
  access: Access;
  /**
   * The documented answer to a caller without access to the target, when it is not the kind's
   * usual ACCESS_ERROR: another error code, or `false` / `null` for methods documented to answer so.
   */
  denied?: ErrorCode | false | null;
  /** The parameters, read and checked in this order before the handler runs (src/rest/schema.ts). */
  params: S;
  handler(ctx: CallContext, input: InputOf<S>): Promise<unknown>;
}

const methods = new Map<string, MethodDef>();

/** Register a method; the name is stored lower-cased. */
export function defineMethod<S extends Schema>(def: MethodDef<S>): void {
  methods.set(def.name.toLowerCase(), def as unknown as MethodDef);
}

/** Find a method by its (case-insensitive) name. */
export function findMethod(name: string): MethodDef | undefined {
  return methods.get(name.toLowerCase());
}

/** The scopes any one of which admits a method; empty for methods every caller may use. */
export function methodScopes(def: Pick<MethodDef, 'scope' | 'orScopes'>): string[] {
  return def.scope ? [def.scope, ...(def.orScopes ?? [])] : [];
}

/** Whether a caller with `scopes` may call the method. */
export function scopeAdmits(def: Pick<MethodDef, 'scope' | 'orScopes'>, scopes: string[]): boolean {
  const needed = methodScopes(def);
  return !needed.length || needed.some((s) => scopes.includes(s));
}

/** Every registered method, for `methods`. */
export function allMethods(): MethodDef[] {
  return [...methods.values()];
}

/** Page size of every list method, as in Bitrix24. */
export const PAGE_SIZE = 50;

/**
 * Slice one page of a list and compute `next` the way Bitrix24 list methods do. `start = -1` is
 * Bitrix24's "no count" mode: the first page, `total` 0 and never a `next` (callers page by ID).
 */
export function paginate<T>(items: T[], start: number): Page {
  if (start === -1) return new Page(items.slice(0, PAGE_SIZE), 0);
  const { page, total, next } = slice(items, Math.max(0, start), PAGE_SIZE);
  return new Page(page, total, next);
}

/** Where the page after the one at `offset` starts, or undefined when it is the last. */
export function nextOffset(offset: number, limit: number, total: number): number | undefined {
  return offset + limit < total ? offset + limit : undefined;
}

/** One page of `items` (any size) with `total` and, when more follow, `next`. */
export function slice<T>(items: T[], offset: number, limit: number): { page: T[]; total: number; next?: number } {
  return { page: items.slice(offset, offset + limit), total: items.length, next: nextOffset(offset, limit, items.length) };
}
