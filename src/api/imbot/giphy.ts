/** imbot.Giphy.list (search) and imbot.Giphy.listPopular (15 trending GIFs). */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { int, obj, str } from '../../rest/params.ts';
import { giphy } from '../../domain/giphy.ts';

defineMethod({
  name: 'imbot.Giphy.list', scope: 'imbot', access: 'none',
  async handler(ctx, p) {
    const search = str(obj(p, 'filter'), 'search').trim();
    if (!search) fail('ERROR_ARGUMENT', 'filter.search is required', { argument: 'filter.search' });
    const limit = Math.min(Math.max(int(p, 'limit') || 15, 1), 50);
    return giphy(ctx.portal.config, search, limit, Math.max(int(p, 'offset'), 0));
  },
});

defineMethod({
  name: 'imbot.Giphy.listPopular', scope: 'imbot', access: 'none',
  async handler(ctx) {
    return giphy(ctx.portal.config, null, 15, 0);
  },
});
