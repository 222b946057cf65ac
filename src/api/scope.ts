/** scope: the caller's scopes, or (`full`) every scope the portal knows. */
import { defineMethod } from '../rest/registry.ts';
import { c } from '../rest/schema.ts';
import { KNOWN_SCOPES } from '../domain/apps.ts';

defineMethod({
  name: 'scope', scope: null, access: 'none',
  params: { full: c.flag() },
  async handler(ctx, { full }) {
    return full ? KNOWN_SCOPES : ctx.scopes;
  },
});
