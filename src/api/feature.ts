/**
 * feature.get (common/system/feature-get.md): whether a feature of the REST platform is available.
 * Parley has both features the page names — extended offline events and the auth_connector source
 * key (events/offline-queue.ts) — and none other: any other code answers N.
 */
import { defineMethod } from '../rest/registry.ts';
import { c } from '../rest/schema.ts';

const AVAILABLE = new Set(['rest_offline_extended', 'rest_auth_connector']);

defineMethod({
  name: 'feature.get', scope: null, access: 'none',
  params: { CODE: c.trimmed().require((v) => v !== '', 'CODE_EMPTY') },
  async handler(_ctx, { CODE }) {
    return { value: AVAILABLE.has(CODE) ? 'Y' : 'N' };
  },
});
