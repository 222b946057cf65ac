/**
 * A local app's "initial installation path" (Bitrix24's local-app form), apart from its handler
 * path: ONAPPINSTALL and ONAPPUPDATE go there when it is set. '' keeps the handler path for both.
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  await db.schema.alterTable('apps').addColumn('install_url', 'text', (c) => c.notNull().defaultTo('')).execute();
};
export default step;
