/**
 * The developer console's incoming webhooks (admins only, see app.ts): parley.webhook.list, add and
 * delete. Only a code's hash is stored, so the full URL is shown once, by parley.webhook.add.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { ADMIN_SCOPE, addWebhook, deleteWebhook, listWebhooks, maskedWebhookUrl, webhookUrl } from '../../domain/apps.ts';
import { maskCode } from '../../auth/secret-hash.ts';
import { findUser } from '../../domain/users.ts';
import { runAction } from '../../domain/action.ts';
import { admin, scopes } from '../codecs/callers.ts';
import { wireDate } from '../wire.ts';

defineMethod({
  name: 'parley.webhook.list', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin() },
  async handler(ctx) {
    // Only the code's hash is stored: the full URL was shown once, by parley.webhook.add.
    return (await listWebhooks(ctx.portal.db)).map((w) => ({
      id: w.id, user_id: w.user_id, title: w.title, scope: w.scope.split(',').filter(Boolean),
      code_hint: maskCode(w.code_hint), url_masked: maskedWebhookUrl(ctx.portal.publicUrl, w), date_create: wireDate(w.created_at),
    }));
  },
});

defineMethod({
  name: 'parley.webhook.add', scope: ADMIN_SCOPE, access: 'admin',
  params: {
    _admin: admin(),
    // Whose webhook: an active user, the caller when absent.
    USER_ID: c.int().map(async (id, ctx) => {
      const user = await findUser(ctx.portal.db, id || ctx.user.id);
      if (!user) fail('USER_NOT_FOUND');
      return user.id;
    }),
    SCOPE: scopes(),
    TITLE: c.trimmed(),
  },
  async handler(ctx, { USER_ID: userId, SCOPE: scope, TITLE: title }) {
    const { id, code } = await runAction(ctx.portal, (trx) => addWebhook(trx, userId, scope, title));
    // The one time the full URL is shown: it is not stored and cannot be shown again.
    return { id, user_id: userId, url: webhookUrl(ctx.portal.publicUrl, userId, code) };
  },
});

defineMethod({
  name: 'parley.webhook.delete', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin(), ID: c.id('ERROR_ARGUMENT', 'ID of the webhook is required') },
  async handler(ctx, { ID: id }) {
    if (!(await runAction(ctx.portal, (trx) => deleteWebhook(trx, id)))) fail('ERROR_ARGUMENT', `No webhook ${id}`);
    return true;
  },
});
