/** server.time: the portal's clock, as an ISO 8601 date. */
import { defineMethod } from '../rest/registry.ts';
import { isoDate } from '../rest/envelope.ts';

defineMethod({
  name: 'server.time', scope: null, access: 'none',
  params: {},
  async handler() {
    return isoDate(Date.now());
  },
});
