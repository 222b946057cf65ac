/** imbot.Giphy.list (search) and imbot.Giphy.listPopular (15 trending GIFs). */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { str, type Params } from '../../rest/params.ts';
import { c } from '../../rest/schema.ts';
import { giphy } from '../../domain/giphy.ts';

/** The search words of `filter` (a free-form object, as Bitrix24's list methods take it); ERROR_ARGUMENT when empty. */
function searchOf(filter: Params): string {
  const search = str(filter, 'search').trim();
  if (!search) fail('ERROR_ARGUMENT', 'filter.search is required', { argument: 'filter.search' });
  return search;
}

defineMethod({
  name: 'imbot.Giphy.list', scope: 'imbot', access: 'none',
  params: {
    filter: c.object().map(searchOf, 'object'),
    // 15 by default, at most 50.
    limit: c.int().map((v) => Math.min(Math.max(v || 15, 1), 50)),
    offset: c.int().map((v) => Math.max(v, 0)),
  },
  async handler(ctx, { filter: search, limit, offset }) {
    return giphy(ctx.portal.config, search, limit, offset);
  },
});

defineMethod({
  name: 'imbot.Giphy.listPopular', scope: 'imbot', access: 'none',
  params: {},
  async handler(ctx) {
    return giphy(ctx.portal.config, null, 15, 0);
  },
});
