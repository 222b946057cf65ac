/**
 * Parley's own methods behind the developer console (/dev), here its local apps: parley.app.list,
 * add, install, reinstall and uninstall. Webhooks, bots, logs, users and the method list are beside
 * this file in src/api/parley/. Not part of Bitrix24; named `parley.*` so they never clash with its
 * methods. They need the `parley` scope (insufficient_scope otherwise), which no app or webhook gets
 * unless it was created asking for it, and the caller must be a portal administrator (ACCESS_DENIED
 * otherwise, the `admin` codec), as only an administrator may manage local applications and webhooks
 * in Bitrix24. Both hold: an admin's token handed to a bot (ONAPPINSTALL, events) or an admin's
 * `user` webhook reaches nothing here.
 */
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { str } from '../../rest/params.ts';
import { c, Codec, type InputOf } from '../../rest/schema.ts';
import { ADMIN_SCOPE, DELIVERY_MODES, type DeliveryMode, addLocalApp, changeInstallation, findApp, listApps } from '../../domain/apps.ts';
import { botsOfApp } from '../../domain/bots.ts';
import { appChatApps } from '../../domain/chat-apps.ts';
import { appPlacements } from '../../domain/placements.ts';
import { handlerState } from '../../domain/event-log.ts';
import { isWebApp } from '../../domain/web-app.ts';
import type { App } from '../../domain/types.ts';
import { handlerUrlProblem } from '../../events/handler-policy.ts';
import { admin, scopes } from '../codecs/callers.ts';
import { wireDate } from '../wire.ts';

/**
 * A handler or installation URL: absolute http(s), at an address the handler policy allows
 * (ERROR_ARGUMENT naming the parameter otherwise). `optional`: empty gives ''.
 */
function handlerUrl(optional = false): Codec<string> {
  return new Codec<string>('URL', async (p, name, ctx) => {
    const raw = str(p, name).trim();
    if (optional && !raw) return '';
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
  }, !optional, 'ERROR_ARGUMENT');
}

/** ID (or `name`) of a local app (the web messenger's own record is none). */
export function localApp(name = 'ID'): Codec<App> {
  return c.id('ERROR_ARGUMENT', `${name} of the application is required`).map(async (id, ctx) => {
    const app = await findApp(ctx.portal.db, id);
    if (!app || isWebApp(app)) fail('ERROR_ARGUMENT', `No application ${id}`);
    return app;
  }, 'app ID');
}

/** What an app put into the messenger: its chat apps (imbot.app.*) and placement bindings (placement.bind). */
interface AppExtras { chat_apps: { id: number; code: string; type: 'js' | 'iframe'; context: string }[]; placements: { placement: string; handler: string; title: string }[] }

const wireApp = (a: App, bots: number, handler_state = 'unknown', extras: AppExtras = { chat_apps: [], placements: [] }) => ({
  id: a.id, name: a.name, client_id: a.client_id, client_secret: a.client_secret, application_token: a.application_token,
  handler: a.handler_url, install_url: a.install_url, scope: a.scope.split(',').filter(Boolean), version: a.version, installed: !!a.installed,
  install_user_id: a.install_user_id, delivery: a.delivery_mode, handler_state, bots, date_create: wireDate(a.created_at), ...extras,
});

async function extrasOf(ctx: CallContext, appId: number): Promise<AppExtras> {
  const [chatApps, placements] = await Promise.all([appChatApps(ctx.portal.db, appId), appPlacements(ctx.portal.db, appId)]);
  return {
    chat_apps: chatApps.map((c) => ({ id: Number(c.id), code: c.code, type: c.js_method ? 'js' : 'iframe', context: c.context })),
    placements: placements.map((p) => ({ placement: p.placement, handler: p.handler, title: p.title })),
  };
}

defineMethod({
  name: 'parley.app.list', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin() },
  async handler(ctx) {
    // The web messenger's own app record belongs to the portal: it is not listed or managed here.
    const apps = (await listApps(ctx.portal.db)).filter((a) => !isWebApp(a));
    const out = [];
    for (const a of apps) out.push(wireApp(a, (await botsOfApp(ctx.portal.db, a.id)).length, await handlerState(ctx.portal.db, a.id), await extrasOf(ctx, a.id)));
    return out;
  },
});

defineMethod({
  name: 'parley.app.add', scope: ADMIN_SCOPE, access: 'admin',
  params: {
    _admin: admin(),
    NAME: c.requiredString('ERROR_ARGUMENT', 'NAME of the application is required'),
    HANDLER: handlerUrl(),
    // The initial installation path of Bitrix24's local-app form: optional, ONAPPINSTALL goes there.
    INSTALL_URL: handlerUrl(true),
    SCOPE: scopes(),
    INSTALL: c.flag(true),
    // retry (at least once, the default) or once (Bitrix24's: one attempt, never resent).
    DELIVERY: c.optional(c.trimmed()
      .require((v) => (DELIVERY_MODES as readonly string[]).includes(v.toLowerCase()), 'ERROR_ARGUMENT', `DELIVERY must be one of: ${DELIVERY_MODES.join(', ')}`)
      .map((v) => v.toLowerCase() as DeliveryMode)),
  },
  async handler(ctx, input) {
    const app = await addLocalApp(ctx.portal, {
      name: input.NAME, handlerUrl: input.HANDLER, installUrl: input.INSTALL_URL, scopes: input.SCOPE, installUserId: ctx.user.id,
      delivery: input.DELIVERY,
    }, input.INSTALL);
    return wireApp(app, 0);
  },
});

/** The parameters of install, reinstall and uninstall (CLEAN only matters to uninstall). */
const APP_ACTION = { _admin: admin(), ID: localApp(), CLEAN: c.flag() };

// The body of install, reinstall and uninstall: each needs the app in the other state.
async function appAction(ctx: CallContext, { ID: app, CLEAN: clean }: InputOf<typeof APP_ACTION>, action: 'install' | 'reinstall' | 'uninstall') {
  if (action === 'install' && app.installed) fail('ERROR_ARGUMENT', 'The application is already installed; reinstall sends ONAPPUPDATE');
  if (action !== 'install' && !app.installed) fail('ERROR_ARGUMENT', 'The application is not installed');
  await changeInstallation(ctx.portal, app, action, clean);
  return true;
}

defineMethod({
  name: 'parley.app.install', scope: ADMIN_SCOPE, access: 'admin', params: APP_ACTION,
  handler: (ctx, input) => appAction(ctx, input, 'install'),
});

defineMethod({
  name: 'parley.app.reinstall', scope: ADMIN_SCOPE, access: 'admin', params: APP_ACTION,
  handler: (ctx, input) => appAction(ctx, input, 'reinstall'),
});

defineMethod({
  name: 'parley.app.uninstall', scope: ADMIN_SCOPE, access: 'admin', params: APP_ACTION,
  handler: (ctx, input) => appAction(ctx, input, 'uninstall'),
});
