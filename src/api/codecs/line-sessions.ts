/**
 * Open-line parameters (imopenlines.*): a line chat the caller may act on (CHAT_ID), the calling
 * bot's app for imopenlines.bot.session.* (an OAuth token, or CLIENT_ID with a webhook), a
 * transfer's target. Each fails with the documented code.
 */
import { fail } from '../../errors.ts';
import { int, str, has } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import type { App, Bot, Chat } from '../../domain/types.ts';
import { actableLineChat } from '../../domain/lines/operations.ts';
import { botsOfApp } from '../../domain/bots.ts';
import { isWebApp } from '../../domain/web-app.ts';

/**
 * CHAT_ID of a line chat the caller may act on (its line's operator, or an administrator): the
 * operator and session pages' CHAT_ID / CHAT_TYPE / ACCESS_DENIED; `empty` for the pages that name a
 * missing id CHAT_ID_EMPTY (transfer, intercept, mode.pin).
 */
export function lineChat(empty: 'CHAT_ID' | 'CHAT_ID_EMPTY' = 'CHAT_ID'): Codec<Chat> {
  return new Codec<Chat>('integer', (p, name, ctx) => {
    if (empty === 'CHAT_ID_EMPTY' && int(p, name) <= 0) fail('CHAT_ID_EMPTY');
    return actableLineChat(ctx.portal.db, ctx.user, int(p, name));
  }, true, empty);
}

/**
 * The app whose bot acts in imopenlines.bot.session.*: the OAuth token's app, or for a webhook the
 * app named by CLIENT_ID; the web messenger's session may not (WRONG_AUTH_TYPE). BOT_ID_ERROR when
 * there is no such app or it has no bot.
 */
export function lineBotApp(): Codec<{ app: App; bots: Bot[] }> {
  return new Codec('CLIENT_ID', async (p, name, ctx) => {
    if (ctx.app && isWebApp(ctx.app)) fail('WRONG_AUTH_TYPE', 'Access for this method not allowed by session authorization.');
    let app = ctx.app;
    if (!app) {
      const clientId = str(p, name);
      app = clientId ? await ctx.portal.db.selectFrom('apps').selectAll().where('client_id', '=', `custom${clientId}`).executeTakeFirst() ?? null : null;
    }
    if (!app) fail('BOT_ID_ERROR');
    const bots = await botsOfApp(ctx.portal.db, app.id);
    if (!bots.length) fail('BOT_ID_ERROR');
    return { app, bots };
  }, false, 'BOT_ID_ERROR');
}

/** A transfer's target: USER_ID, then QUEUE_ID, then TRANSFER_ID (`<user id>` or `queue<line id>`), as the bot page orders them. */
export type Target = { userId: number } | { lineId: number };

/** Read a transfer's target; USER_ID_EMPTY / QUEUE_ID_EMPTY for one sent empty, TRANSFER_ID_EMPTY for none. */
export function transferTarget(): Codec<Target> {
  return new Codec<Target>('USER_ID | QUEUE_ID | TRANSFER_ID', (p) => {
    if (has(p, 'USER_ID') && str(p, 'USER_ID') !== '') {
      const id = int(p, 'USER_ID');
      if (id <= 0) fail('USER_ID_EMPTY');
      return { userId: id };
    }
    if (has(p, 'QUEUE_ID') && str(p, 'QUEUE_ID') !== '') {
      const id = int(p, 'QUEUE_ID');
      if (id <= 0) fail('QUEUE_ID_EMPTY');
      return { lineId: id };
    }
    const raw = str(p, 'TRANSFER_ID').trim();
    const queue = /^queue(\d+)$/i.exec(raw);
    if (queue && Number(queue[1]) > 0) return { lineId: Number(queue[1]) };
    if (/^\d+$/.test(raw) && Number(raw) > 0) return { userId: Number(raw) };
    fail('TRANSFER_ID_EMPTY');
  }, false, 'TRANSFER_ID_EMPTY');
}

/** A session id (SESSION_ID): `code` when missing or not positive. */
export const sessionId = (code: 'EMPTY_SESSION_ID' | 'INVALID_SESSION_ID') => c.int().check((v) => v > 0, code);
