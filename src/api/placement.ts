/**
 * placement.bind / unbind / get / list: an application's handlers in the messenger's places
 * (widgets/placement-*.md, widgets/im/*.md). Scope `placement`; application context only (a webhook
 * is WRONG_AUTH_TYPE); bind, unbind and get are for administrators (ACCESS_DENIED), list for any user
 * of the app. The places of the `im` scope are known only to an app given `im` (ERROR_PLACEMENT_NOT_FOUND
 * otherwise); IM_SMILES_SELECTOR is global. What the messenger does with them: src/api/parley/placement.ts.
 */
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../errors.ts';
import { c } from '../rest/schema.ts';
import { Codec } from '../rest/schema.ts';
import { runAction } from '../domain/action.ts';
import {
  PLACES, appPlacements, bindPlacement, langTextsOf, optionsOf, placesFor, unbindPlacement, type Placement,
} from '../domain/placements.ts';
import { callingApp } from './codecs/bots.ts';
import { langAll, placementCode, placementHandler, placementOptions, placementText, placementUser } from './codecs/placements.ts';
import { wireOptions } from './placement.wire.ts';

/** The caller must be an administrator (after the app context is checked): ACCESS_DENIED. */
function adminCaller(): Codec<true> {
  return new Codec<true>('caller', (_p, _name, ctx) => {
    if (!ctx.user.is_admin) fail('ACCESS_DENIED');
    return true;
  }, false, 'ACCESS_DENIED');
}

defineMethod({
  name: 'placement.bind', scope: 'placement', access: 'appadmin',
  params: {
    _app: callingApp(), _admin: adminCaller(),
    PLACEMENT: placementCode(true), HANDLER: placementHandler(),
    TITLE: placementText('title'), DESCRIPTION: placementText('description'), GROUP_NAME: placementText('title'),
    LANG_ALL: langAll(), OPTIONS: placementOptions(), USER_ID: placementUser(),
  },
  async handler(ctx, input) {
    const saved = await runAction(ctx.portal, (trx) => bindPlacement(trx, {
      appId: input._app.id, placement: input.PLACEMENT, handler: input.HANDLER, title: input.TITLE, description: input.DESCRIPTION,
      groupName: input.GROUP_NAME, langAll: input.LANG_ALL, options: input.OPTIONS, userId: input.USER_ID,
    }, ctx.portal.clock.now()));
    if (!saved) fail('ERROR_ARGUMENT', 'The application has bound as many placement handlers as it may', { argument: 'PLACEMENT' });
    return true;
  },
});

defineMethod({
  name: 'placement.unbind', scope: 'placement', access: 'appadmin',
  params: { _app: callingApp(), _admin: adminCaller(), PLACEMENT: placementCode(false), HANDLER: placementHandler(true), USER_ID: c.optional(c.int()) },
  async handler(ctx, input) {
    const removed = await runAction(ctx.portal, (trx) => unbindPlacement(trx, input._app.id, input.PLACEMENT, input.HANDLER, input.USER_ID));
    // The docs: the count grows by one for each handler found before the removal and by one more for
    // each removed (their example answers 4 for two handlers), so a removed handler counts twice.
    return { count: removed * 2 };
  },
});

/** A binding as placement.get answers it. */
function wireBinding(p: Placement) {
  const texts = langTextsOf(p);
  const langs = Object.keys(texts);
  return {
    placement: p.placement, userId: Number(p.user_id), handler: p.handler, options: wireOptions(p.placement, optionsOf(p)),
    title: p.title, description: p.description,
    // PHP's empty array is `[]` on the wire.
    langAll: langs.length
      ? Object.fromEntries(langs.map((l) => [l, { TITLE: texts[l].title, DESCRIPTION: texts[l].description, GROUP_NAME: texts[l].groupName }]))
      : [],
  };
}

defineMethod({
  name: 'placement.get', scope: 'placement', access: 'appadmin',
  params: { _app: callingApp(), _admin: adminCaller() },
  async handler(ctx, { _app: app }) {
    return (await appPlacements(ctx.portal.db, app.id)).map(wireBinding);
  },
});

defineMethod({
  name: 'placement.list', scope: 'placement', access: 'app',
  params: { _app: callingApp(), SCOPE: c.trimmed(), FULL: c.flag() },
  async handler(ctx, { SCOPE: scope, FULL: full }) {
    const all = Object.keys(PLACES);
    // SCOPE: that scope's places; FULL: every scope's; else the app's scopes' and the global ones.
    if (scope) return all.filter((code) => PLACES[code].scope === scope.toLowerCase());
    return full ? all : placesFor(ctx.scopes);
  },
});
