/** imopenlines.revision.get: the open-lines API revisions, for clients deciding what they may use. */
import { defineMethod } from '../../rest/registry.ts';

/** The revisions answered: the values of the docs (identical in the seed and the English pages). */
export const OPENLINES_REVISIONS = { rest: 2, web: 1, mobile: 1 } as const;

defineMethod({
  name: 'imopenlines.revision.get', scope: 'imopenlines', access: 'none',
  params: {},
  async handler() {
    return { ...OPENLINES_REVISIONS };
  },
});
