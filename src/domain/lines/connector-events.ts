/**
 * Events to a connector's app: POSTed, through the outbox, to the handlers that app bound for the
 * event with event.bind (only the app that registered the connector hears of it), with the tokens
 * of the user who installed the app.
 */
import type { Db } from '../../store/db.ts';
import { enqueue } from '../../events/outbox.ts';
import type { Connector } from './connectors.ts';

/** Queue `event` with `data` for each handler the connector's app bound to it; `stream` keeps them in order. */
export async function tellConnectorApp(db: Db, connector: Connector, event: string, stream: string, data: unknown): Promise<void> {
  // The apps table read here, not through apps.ts: uninstalling an app (apps.ts) removes its connectors through this module's neighbours.
  const app = connector.app_id ? await db.selectFrom('apps').select(['id', 'installed', 'install_user_id']).where('id', '=', connector.app_id).executeTakeFirst() : undefined;
  if (!app?.installed) return;
  const handlers = await db.selectFrom('event_handlers').select('handler').where('app_id', '=', app.id).where('event', '=', event).orderBy('id').execute();
  if (!handlers.length) return;
  await enqueue(db, handlers.map((h) => ({ appId: app.id, event, handlerUrl: h.handler, stream, authUserId: app.install_user_id, data })));
}
