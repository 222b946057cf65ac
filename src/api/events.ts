/** events: the events an app may bind with event.bind, for a scope, the caller's scopes, or all. */
import { defineMethod } from '../rest/registry.ts';
import { c } from '../rest/schema.ts';
import { BINDABLE_EVENTS } from '../domain/event-handlers.ts';

defineMethod({
  name: 'events', scope: null, access: 'none',
  params: { scope: c.string().map((v) => v.toLowerCase()), full: c.flag() },
  async handler(ctx, { scope, full }) {
    if (scope) return BINDABLE_EVENTS[scope] ?? [];
    const scopes = full ? Object.keys(BINDABLE_EVENTS) : ['basic', ...ctx.scopes];
    return [...new Set(scopes.flatMap((s) => BINDABLE_EVENTS[s] ?? []))];
  },
});
