/**
 * im.notify.schema.get: the notification types there are to filter by (im.notify.history.search).
 * Parley's notifications all come from apps through REST, so the schema has one module, `rest`,
 * with one type, `rest|rest_notify`.
 */
import { defineMethod } from '../../rest/registry.ts';

/** The one notification module. */
export const NOTIFY_MODULE = 'rest';
/** The one notification type, `module|event`. */
export const NOTIFY_TYPE = 'rest|rest_notify';

defineMethod({
  name: 'im.notify.schema.get', scope: 'im', access: 'none', params: {},
  async handler() {
    return { [NOTIFY_MODULE]: { NAME: 'Applications', MODULE_ID: NOTIFY_MODULE, LIST: [{ ID: NOTIFY_TYPE, NAME: 'Notifications from applications' }] } };
  },
});
