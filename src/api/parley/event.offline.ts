/**
 * parley.event.offline.list: the developer console's view of the offline queue (event.bind with
 * event_type=offline) of every app, or of one (`FILTER[APP_ID]`): the rows waiting for
 * event.offline.get, reserved under a process_id, or marked failed — each with its app and source key
 * (auth_connector). Newest change first, 50 a page. Administrators only, as the rest of the console;
 * reading it changes nothing (the apps take their rows with event.offline.get).
 */
import { defineMethod } from '../../rest/registry.ts';
import { int } from '../../rest/params.ts';
import { c } from '../../rest/schema.ts';
import { listOfflineAll } from '../../events/offline-queue.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';
import { admin } from '../codecs/callers.ts';
import { wireDate } from '../wire.ts';
import { logPage } from './log-page.ts';

defineMethod({
  name: 'parley.event.offline.list', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin(), FILTER: c.object().map((f) => (int(f, 'APP_ID') > 0 ? int(f, 'APP_ID') : undefined)) },
  handler: (ctx, { FILTER: appId }) => logPage(ctx, (offset, limit) => listOfflineAll(ctx.portal.db, appId, offset, limit), (rows) => rows.map((r) => ({
    id: Number(r.ID), app_id: r.APP_ID, auth_connector: r.AUTH_CONNECTOR, event: r.EVENT_NAME, changed: wireDate(r.TIMESTAMP_X),
    status: r.ERROR === '1' ? 'error' : r.PROCESS_ID ? 'reserved' : 'waiting', process_id: r.PROCESS_ID || null,
    data: r.EVENT_DATA, additional: r.EVENT_ADDITIONAL,
  }))),
});
