/**
 * parley.method.list (admins only, see app.ts): every registered method with its scope, what it acts
 * on (access) and its parameters as its schema declares them — the developer console's method
 * reference, built from the same declarations the calls are checked with, so it cannot drift.
 */
import { allMethods, defineMethod } from '../../rest/registry.ts';
import { describeSchema } from '../../rest/schema.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';
import { admin } from '../codecs/callers.ts';

defineMethod({
  name: 'parley.method.list', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin() },
  async handler() {
    // Names as declared (imbot.Giphy.list), sorted as Bitrix24 matches them: case-insensitively.
    const key = (name: string) => name.toLowerCase();
    return allMethods()
      .sort((a, b) => (key(a.name) < key(b.name) ? -1 : key(a.name) > key(b.name) ? 1 : 0))
      .map((m) => ({
        // scope null: every caller may use it (Bitrix24's `basic`).
        name: m.name, scope: m.scope, ...(m.orScopes ? { orScopes: m.orScopes } : {}), access: m.access,
        // Derived inputs (`_…`, the calling bot or administrator) are no wire parameters and are not listed.
        params: describeSchema(m.params ?? {}),
      }));
  },
});
