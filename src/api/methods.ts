/** methods: the REST methods there are: the caller's (by scope), a scope's, or all of them (`full`). */
import { allMethods, defineMethod, methodScopes, scopeAdmits } from '../rest/registry.ts';
import { c } from '../rest/schema.ts';

defineMethod({
  name: 'methods', scope: null, access: 'none',
  params: { full: c.flag(), scope: c.optional(c.string()) },
  async handler(ctx, { full, scope }) {
    if (full) return allMethods().map((m) => m.name);
    // `scope` sent empty: the methods every caller has (no scope).
    if (scope !== undefined) {
      const wanted = scope.toLowerCase();
      return allMethods().filter((m) => (wanted ? methodScopes(m).includes(wanted) : !m.scope)).map((m) => m.name);
    }
    return allMethods().filter((m) => scopeAdmits(m, ctx.scopes)).map((m) => m.name);
  },
});
