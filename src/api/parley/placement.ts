/**
 * What the web messenger needs to show and open the apps' placements, as public REST methods it
 * calls with its own token like any other (no back door): parley.placement.list (the bindings this
 * user sees, here or in a dialog), parley.placement.launch (the frame's address, its name and the
 * form the messenger POSTs into it, with a real token of the app for this user),
 * parley.placement.application (a frame's openApplication: the app's own page, PLACEMENT DEFAULT) and
 * parley.placement.auth (fresh tokens for a frame's refreshAuth). Only the messenger's own session may
 * call them (WRONG_AUTH_TYPE otherwise): an app or webhook asking would be asking for another app's
 * tokens.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c, Codec } from '../../rest/schema.ts';
import { str } from '../../rest/params.ts';
import { runAction } from '../../domain/action.ts';
import { findApp } from '../../domain/apps.ts';
import { PLACES, findPlacement, installedPlacements, optionsOf, shownTo, titleIn, type Placement } from '../../domain/placements.ts';
import { frameOf, openFrame } from '../../domain/placement-frames.ts';
import { placementDialog, placementMessage, type PlacementDialog } from '../../domain/placement-context.ts';
import { parseDialogId, type App } from '../../domain/types.ts';
import { tokenForEvent } from '../../auth/tokens.ts';
import { messengerCaller } from '../codecs/callers.ts';
import type { CallContext } from '../../rest/registry.ts';

/** The path Bitrix24's messenger reports as URI in PLACEMENT_OPTIONS (apps may compare it). */
const MESSENGER_URI = '/online/';

/** Only the web messenger's session: WRONG_AUTH_TYPE for an app token or a webhook. */
const messengerOnly = () => messengerCaller('opens placements');

/** DIALOG_ID when sent: the dialog, read by the caller (ACCESS_ERROR otherwise); undefined when absent. */
function placementDialogParam(): Codec<PlacementDialog & { dialogId: string } | undefined> {
  return new Codec('DIALOG_ID', async (p, name, ctx) => {
    const raw = str(p, name).trim();
    if (!raw) return undefined;
    const ref = parseDialogId(raw);
    if (!ref) fail('DIALOG_ID_EMPTY', 'Dialog ID has a wrong format');
    return { ...(await placementDialog(ctx.portal.db, ctx.user, ref)), dialogId: raw.toLowerCase() };
  }, false, 'ACCESS_ERROR');
}

/** LANG: the messenger's interface language (two letters; `en` when absent or malformed). */
function lang(): Codec<string> {
  return c.trimmed().map((v) => (/^[a-z]{2}(?:_[a-z]{2,4})?$/i.test(v) ? v.toLowerCase() : 'en'));
}

// A binding as the messenger lists it: enough to draw its button and to launch it by id.
async function listed(ctx: CallContext, p: Placement, language: string, apps: Map<number, App | undefined>) {
  if (!apps.has(p.app_id)) apps.set(p.app_id, await findApp(ctx.portal.db, p.app_id));
  const o = optionsOf(p);
  return {
    id: Number(p.id), placement: p.placement, appId: Number(p.app_id), appName: apps.get(p.app_id)?.name ?? '',
    title: titleIn(p, language) || apps.get(p.app_id)?.name || p.placement, iconName: o.iconName ?? '', color: o.color ?? '',
    width: o.width ?? null, height: o.height ?? null, origin: new URL(p.handler).origin,
  };
}

defineMethod({
  name: 'parley.placement.list', scope: 'im', access: 'messenger',
  params: { _messenger: messengerOnly(), DIALOG_ID: placementDialogParam(), LANG: lang() },
  async handler(ctx, { DIALOG_ID: dialog, LANG: language }) {
    const viewer = { isAdmin: !!ctx.user.is_admin };
    const out = [];
    const apps = new Map<number, App | undefined>();
    for (const p of await installedPlacements(ctx.portal.db)) {
      // Places in a dialog are listed only for a dialog; the navigation's anywhere.
      if (PLACES[p.placement]?.context && !dialog) continue;
      if (shownTo(p, viewer, dialog ?? null)) out.push(await listed(ctx, p, language, apps));
    }
    return out;
  },
});

/** The token fields a frame gets (in the form, in getInitData and from refreshAuth). */
async function frameTokens(ctx: CallContext, app: App) {
  const t = await tokenForEvent(ctx.portal, ctx.portal.db, app, ctx.user.id);
  return {
    AUTH_ID: t.access_token, AUTH_EXPIRES: Math.max(1, Math.floor((t.expires_at - ctx.portal.clock.now()) / 1000)), REFRESH_ID: t.refresh_token,
  };
}

defineMethod({
  name: 'parley.placement.launch', scope: 'im', access: 'messenger',
  params: {
    _messenger: messengerOnly(),
    ID: c.id('ERROR_ARGUMENT', 'ID of the placement is required').map(async (id, ctx) => {
      const p = await findPlacement(ctx.portal.db, id);
      if (!p || !shownTo(p, { isAdmin: !!ctx.user.is_admin }, null)) fail('ERROR_PLACEMENT_NOT_FOUND');
      return p;
    }, 'placement ID'),
    DIALOG_ID: placementDialogParam(),
    MESSAGE_ID: c.int(),
    LANG: lang(),
  },
  async handler(ctx, { ID: placement, DIALOG_ID: dialog, MESSAGE_ID: messageId, LANG: language }) {
    const db = ctx.portal.db;
    const place = PLACES[placement.placement];
    const options: Record<string, string | number> = {};
    if (place?.context) {
      if (!dialog) fail('ERROR_ARGUMENT', "Argument 'DIALOG_ID' is null or empty", { argument: 'DIALOG_ID' });
      if (!shownTo(placement, { isAdmin: !!ctx.user.is_admin }, dialog)) fail('ERROR_PLACEMENT_NOT_FOUND', 'The placement does not show in this dialog');
      options.dialogId = dialog.dialogId;
      if (placement.placement === 'IM_CONTEXT_MENU') options.messageId = Number((await placementMessage(db, ctx.user, dialog, messageId)).id);
    }
    options.URI = MESSENGER_URI;
    const app = await findApp(db, placement.app_id);
    if (!app?.installed) fail('ERROR_PLACEMENT_NOT_FOUND');
    const sid = await runAction(ctx.portal, (trx) => openFrame(trx, { placementId: placement.id, appId: app.id }, ctx.user.id, ctx.portal.clock.now()));
    const o = optionsOf(placement);
    return frameLaunch(ctx, app, sid, language, {
      placement: placement.placement, handler: placement.handler, options, title: titleIn(placement, language) || app.name,
      width: o.width ?? null, height: o.height ?? null,
    });
  },
});

/** What a frame is opened for: its place, its handler, its PLACEMENT_OPTIONS, its title and size wish. */
interface FrameTarget {
  placement: string;
  handler: string;
  options: Record<string, unknown>;
  title: string;
  width: number | null;
  height: number | null;
}

/** The launch answer for a new frame `sid` of `app`: its address, name, the form POSTed into it and getInitData's answer. */
async function frameLaunch(ctx: CallContext, app: App, sid: string, language: string, t: FrameTarget) {
  const tokens = await frameTokens(ctx, app);
  const protocol = new URL(ctx.portal.publicUrl).protocol === 'https:' ? 1 : 0;
  const query = { DOMAIN: ctx.portal.domain, PROTOCOL: String(protocol), LANG: language, APP_SID: sid };
  const url = new URL(t.handler);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return {
    url: url.toString(), origin: url.origin,
    // The frame's name: what BX24.js and b24jssdk read DOMAIN, PROTOCOL and APP_SID from.
    frameName: `${ctx.portal.domain}|${protocol}|${sid}`,
    appSid: sid, placement: t.placement, title: t.title, width: t.width, height: t.height,
    // POSTed into the frame as an HTML form, as Bitrix24 does (widgets/index "What the handler receives").
    form: {
      ...tokens, SERVER_ENDPOINT: `${ctx.portal.publicUrl}/rest/`, APPLICATION_TOKEN: app.application_token, APPLICATION_SCOPE: app.scope,
      member_id: ctx.portal.memberId, status: 'L', PLACEMENT: t.placement, PLACEMENT_OPTIONS: JSON.stringify(t.options),
    },
    // What the parent answers the frame's getInitData with (b24jssdk's frame reads these keys).
    init: {
      LANG: language, DOMAIN: ctx.portal.domain, PROTOCOL: protocol, PATH: '/rest', ...tokens, MEMBER_ID: ctx.portal.memberId,
      FIRST_RUN: false, IS_ADMIN: !!ctx.user.is_admin, INSTALL: false, USER_OPTIONS: [], APP_OPTIONS: [],
      PLACEMENT: t.placement, PLACEMENT_OPTIONS: t.options,
    },
  };
}

/** APP_SID: a live frame of the caller's; another user's, a lapsed or an unknown one are one refusal. */
function frameParam() {
  return c.trimmed().map(async (sid, ctx) => {
    const f = /^[0-9a-f]{32}$/.test(sid) ? await frameOf(ctx.portal.db, sid, ctx.user.id, ctx.portal.clock.now()) : undefined;
    const app = f ? await findApp(ctx.portal.db, f.appId) : undefined;
    if (!f || !app?.installed) fail('ACCESS_DENIED', 'No open placement frame of yours has this APP_SID');
    return app;
  }, 'APP_SID');
}

/** The most of PARAMS a frame's openApplication passes on (as the app's PLACEMENT_OPTIONS). */
const APP_PARAMS_MAX = 8 * 1024;

defineMethod({
  name: 'parley.placement.application', scope: 'im', access: 'messenger',
  params: {
    _messenger: messengerOnly(),
    APP_SID: frameParam(),
    // openApplication's parameters, as the frame sent them (a JSON object); its PLACEMENT_OPTIONS.
    PARAMS: c.trimmed().map((raw) => {
      if (raw.length > APP_PARAMS_MAX) fail('ERROR_ARGUMENT', `PARAMS is longer than ${APP_PARAMS_MAX} characters`, { argument: 'PARAMS' });
      if (!raw) return {};
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        fail('ERROR_ARGUMENT', 'PARAMS is not JSON', { argument: 'PARAMS' });
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) fail('ERROR_ARGUMENT', 'PARAMS is a JSON object', { argument: 'PARAMS' });
      return v as Record<string, unknown>;
    }),
    LANG: lang(),
  },
  // A frame's openApplication: the app's own page (its handler path) with PLACEMENT DEFAULT, as
  // Bitrix24 opens an application. Never the portal's own origin (a frame with scripts there would be the messenger).
  async handler(ctx, { APP_SID: app, PARAMS: params, LANG: language }) {
    let handler: URL | undefined;
    try {
      handler = app.handler_url ? new URL(app.handler_url) : undefined;
    } catch { /* no page */ }
    if (!handler || !/^https?:$/.test(handler.protocol) || handler.origin === new URL(ctx.portal.publicUrl).origin) {
      fail('ERROR_PLACEMENT_NOT_FOUND', 'The application has no page of its own to open');
    }
    const sid = await runAction(ctx.portal, (trx) => openFrame(trx, { placementId: 0, appId: app.id }, ctx.user.id, ctx.portal.clock.now()));
    return frameLaunch(ctx, app, sid, language, { placement: 'DEFAULT', handler: handler.toString(), options: params, title: app.name, width: null, height: null });
  },
});

defineMethod({
  name: 'parley.placement.auth', scope: 'im', access: 'messenger',
  params: {
    _messenger: messengerOnly(),
    // Another user's, a lapsed or an unknown APP_SID are one refusal: nothing tells them apart.
    APP_SID: frameParam(),
  },
  handler: (ctx, { APP_SID: app }) => frameTokens(ctx, app),
});
