/** app.info: the calling application (or, for a webhook, its scopes and the portal's licence). */
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../errors.ts';

defineMethod({
  name: 'app.info', scope: null, access: 'none',
  params: {},
  async handler(ctx) {
    if (ctx.webhook) return { SCOPE: ctx.scopes, LICENSE: 'en_selfhosted' };
    const app = ctx.app;
    if (!app) fail('ACCESS_DENIED', 'Access denied! Application context required');
    return {
      ID: app.id, CODE: app.code, VERSION: app.version, STATUS: 'L', INSTALLED: !!app.installed, PAYMENT_EXPIRED: 'N',
      DAYS: null, LANGUAGE_ID: 'en', LICENSE: 'en_selfhosted', LICENSE_TYPE: 'selfhosted', LICENSE_FAMILY: 'selfhosted',
    };
  },
});
