/**
 * Parley's own methods behind the developer console (/dev): local apps, incoming webhooks, bots and
 * their commands. Not part of Bitrix24; named `parley.*` so they never clash with its methods.
 * They need the `parley` scope (insufficient_scope otherwise), which no app or webhook gets unless it
 * was created asking for it, and the caller must be a portal administrator (ACCESS_DENIED otherwise),
 * as only an administrator may manage local applications and webhooks in Bitrix24. Both hold: an
 * admin's token handed to a bot (ONAPPINSTALL, events) or an admin's `user` webhook reaches nothing here.
 */
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { flag, int, list, str, type Params } from '../../rest/params.ts';
import { ADMIN_SCOPE, createApp, createWebhook, findApp, installApp, maskedWebhookUrl, parseScopes, uninstallApp } from '../../domain/apps.ts';
import { hashSecret, maskCode } from '../../auth/secret-hash.ts';
import { botsOfApp } from '../../domain/bots.ts';
import { isWebApp } from '../../domain/web-app.ts';
import { findUser, fullName } from '../../domain/users.ts';
import { wireDate } from '../wire.ts';
import type { App } from '../../domain/types.ts';
import { isRowId } from '../../store/row-id.ts';
import { handlerUrlProblem } from '../../events/handler-policy.ts';
import { runAction } from '../../domain/action.ts';

/** Throw ACCESS_DENIED unless the caller is a portal administrator. */
export function requireAdmin(ctx: CallContext): void {
  if (!ctx.user.is_admin) fail('ACCESS_DENIED', 'Only a portal administrator may use the developer console methods');
}

function scopesParam(p: Params): string[] {
  const raw = Array.isArray(p.SCOPE) ? list(p, 'SCOPE').map(String).join(',') : str(p, 'SCOPE');
  const { scopes, bad } = parseScopes(raw);
  if (!scopes.length) fail('ERROR_ARGUMENT', 'SCOPE must name at least one scope, e.g. imbot,im');
  if (bad.length) fail('ERROR_ARGUMENT', `Unknown scope: ${bad.join(', ')}`);
  return scopes;
}

// A handler or installation URL: absolute http(s), at an address the handler policy allows.
async function urlParam(ctx: CallContext, p: Params, name: string): Promise<string> {
  const raw = str(p, name).trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail('ERROR_ARGUMENT', `${name} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('ERROR_ARGUMENT', `${name} must be an http or https URL`);
  const problem = await handlerUrlProblem(ctx.portal.config, url.toString());
  if (problem && 'refused' in problem) fail('ERROR_ARGUMENT', `${name}: ${problem.refused}`);
  return url.toString();
}

async function appParam(ctx: CallContext, p: Params): Promise<App> {
  const id = int(p, 'ID');
  if (id <= 0) fail('ERROR_ARGUMENT', 'ID of the application is required');
  const app = await findApp(ctx.portal.db, id);
  if (!app || isWebApp(app)) fail('ERROR_ARGUMENT', `No application ${id}`);
  return app;
}

const wireApp = (a: App, bots: number) => ({
  id: a.id, name: a.name, client_id: a.client_id, client_secret: a.client_secret, application_token: a.application_token,
  handler: a.handler_url, install_url: a.install_url, scope: a.scope.split(',').filter(Boolean), version: a.version, installed: !!a.installed,
  install_user_id: a.install_user_id, bots, date_create: wireDate(a.created_at),
});

defineMethod({
  name: 'parley.app.list', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx) {
    requireAdmin(ctx);
    // The web messenger's own app record belongs to the portal: it is not listed or managed here.
    const apps = (await ctx.portal.db.selectFrom('apps').selectAll().orderBy('id').execute()).filter((a) => !isWebApp(a));
    const out = [];
    for (const a of apps) out.push(wireApp(a, (await botsOfApp(ctx.portal.db, a.id)).length));
    return out;
  },
});

defineMethod({
  name: 'parley.app.add', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx, p) {
    requireAdmin(ctx);
    const name = str(p, 'NAME').trim();
    if (!name) fail('ERROR_ARGUMENT', 'NAME of the application is required');
    const handlerUrl = await urlParam(ctx, p, 'HANDLER');
    // The initial installation path of Bitrix24's local-app form: optional, ONAPPINSTALL goes there.
    const installUrl = str(p, 'INSTALL_URL').trim() ? await urlParam(ctx, p, 'INSTALL_URL') : '';
    const scopes = scopesParam(p);
    const install = flag(p, 'INSTALL', true);
    const app = await runAction(ctx.portal, async (trx) => {
      const created = await createApp(trx, { name, handlerUrl, installUrl, scopes, installUserId: ctx.user.id });
      return install ? installApp(ctx.portal, trx, created) : created;
    });
    return wireApp(app, 0);
  },
});

for (const action of ['install', 'reinstall', 'uninstall'] as const) {
  defineMethod({
    name: `parley.app.${action}`, scope: ADMIN_SCOPE, access: 'admin',
    async handler(ctx, p) {
      requireAdmin(ctx);
      const app = await appParam(ctx, p);
      if (action === 'install' && app.installed) fail('ERROR_ARGUMENT', 'The application is already installed; reinstall sends ONAPPUPDATE');
      if (action !== 'install' && !app.installed) fail('ERROR_ARGUMENT', 'The application is not installed');
      await runAction(ctx.portal, async (trx) => {
        if (action === 'uninstall') await uninstallApp(ctx.portal, trx, app, flag(p, 'CLEAN'));
        else await installApp(ctx.portal, trx, app, { update: action === 'reinstall' });
      });
      return true;
    },
  });
}

defineMethod({
  name: 'parley.webhook.list', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx) {
    requireAdmin(ctx);
    const rows = await ctx.portal.db.selectFrom('webhooks').selectAll().orderBy('id').execute();
    // Only the code's hash is stored: the full URL was shown once, by parley.webhook.add.
    return rows.map((w) => ({
      id: w.id, user_id: w.user_id, title: w.title, scope: w.scope.split(',').filter(Boolean),
      code_hint: maskCode(w.code_hint), url_masked: maskedWebhookUrl(ctx.portal.publicUrl, w), date_create: wireDate(w.created_at),
    }));
  },
});

defineMethod({
  name: 'parley.webhook.add', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx, p) {
    requireAdmin(ctx);
    const userId = int(p, 'USER_ID') || ctx.user.id;
    const user = await findUser(ctx.portal.db, userId);
    if (!user || !user.active) fail('USER_NOT_FOUND');
    const code = await createWebhook(ctx.portal.db, userId, scopesParam(p), str(p, 'TITLE').trim());
    const row = await ctx.portal.db.selectFrom('webhooks').select('id').where('code_hash', '=', hashSecret(code)).executeTakeFirstOrThrow();
    // The one time the full URL is shown: it is not stored and cannot be shown again.
    return { id: row.id, user_id: userId, url: `${ctx.portal.publicUrl}/rest/${userId}/${code}/` };
  },
});

defineMethod({
  name: 'parley.webhook.delete', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx, p) {
    requireAdmin(ctx);
    const id = int(p, 'ID');
    if (id <= 0) fail('ERROR_ARGUMENT', 'ID of the webhook is required');
    if (!isRowId(id)) fail('ERROR_ARGUMENT', `No webhook ${id}`);
    const res = await ctx.portal.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    if (!Number(res.numDeletedRows)) fail('ERROR_ARGUMENT', `No webhook ${id}`);
    return true;
  },
});

defineMethod({
  name: 'parley.bot.list', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx, p) {
    requireAdmin(ctx);
    const db = ctx.portal.db;
    let q = db.selectFrom('bots').innerJoin('users', 'users.id', 'bots.id').selectAll('bots').select(['users.name', 'users.last_name']);
    if (int(p, 'APP_ID') > 0) q = q.where('bots.app_id', '=', int(p, 'APP_ID'));
    const bots = await q.orderBy('bots.id').execute();
    const commands = bots.length ? await db.selectFrom('commands').selectAll().where('bot_id', 'in', bots.map((b) => b.id)).orderBy('id').execute() : [];
    return bots.map((b) => ({
      id: b.id, app_id: b.app_id, code: b.code, type: b.type, openline: !!b.openline, name: fullName(b),
      handlers: { message_add: b.h_message_add, message_update: b.h_message_update, message_delete: b.h_message_delete, welcome: b.h_welcome, bot_delete: b.h_bot_delete },
      commands: commands.filter((c) => c.bot_id === b.id).map((c) => ({
        id: c.id, command: c.command, common: !!c.common, hidden: !!c.hidden, extranet_support: !!c.extranet_support,
        handler: c.handler_url, lang: JSON.parse(c.lang) as unknown,
      })),
      date_create: wireDate(b.created_at),
    }));
  },
});
