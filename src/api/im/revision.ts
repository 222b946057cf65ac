/**
 * im.revision.get: which revision of the Chat API this portal speaks, so a client can tell which
 * methods and parameters it may use.
 */
import { defineMethod } from '../../rest/registry.ts';

/**
 * The revisions answered. `rest` is 30: the seed's "what's new" puts its newest Chat API methods
 * (im.dialog.users.list, im.recent.list, im.notify.answer, …) at REST revision 30, and that is the
 * set Parley implements; the English docs' 32 is a later platform than the seed describes. `web` and
 * `mobile` are the revisions of Bitrix24's own web and mobile messenger clients, which do not run
 * against Parley: they keep the values of the seed's example. `desktop` and `im_revision_mobile` are
 * keys the English docs add (current SDK typings read them): the latter repeats `mobile`; for
 * `desktop` no source gives the value at REST 30, so it is one below the docs' 6 at REST 32.
 */
export const REVISIONS = { rest: 30, web: 117, mobile: 9, desktop: 5, im_revision_mobile: 9 } as const;

defineMethod({
  name: 'im.revision.get', scope: 'im', access: 'none',
  params: {},
  async handler() {
    return { ...REVISIONS };
  },
});
