/**
 * imbot.v2.Revision.get (chat-bots-v2/imbot.v2/revision-get.md): the revisions of the API a bot may
 * check before using a field. `rest` is 36, the newest revision of the imbot.v2 change log, whose
 * changes the methods Parley has follow (botToken at most 40 characters, nextOffset, fields.system);
 * Parley's Chat API (im.revision.get) stays at its own 30. The client revisions are im.revision.get's.
 */
import { defineMethod } from '../../rest/registry.ts';
import { REVISIONS } from '../im/revision.ts';

defineMethod({
  name: 'imbot.v2.Revision.get', scope: 'imbot', access: 'none',
  params: {},
  async handler() {
    return { rest: 36, web: REVISIONS.web, mobile: REVISIONS.mobile, desktop: REVISIONS.desktop };
  },
});
