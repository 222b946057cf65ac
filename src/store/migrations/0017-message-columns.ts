/**
 * A message's state leaves the PARAMS blob for typed columns and tables: likes become a row per
 * like (message_likes) and files a row per file (message_files), so liking is an insert or a delete
 * instead of a compare-and-set on JSON text; edited, keyboard blocked, the link preview, REPLY_ID and
 * URL_PREVIEW become columns; ATTACH, KEYBOARD and MENU (structures Bitrix24 defines) keep their JSON,
 * each in a column of its own. Existing rows are moved over and the params column is dropped; what
 * the wire shows is unchanged (src/wire/message.ts builds PARAMS from the columns).
 */
import type { CreateTableBuilder, Kysely } from 'kysely';
import { int, type Step } from '../migration-kit.ts';

type Json = Record<string, unknown>;

const step: Step = async (db) => {
  for (const c of ['attach', 'keyboard', 'menu', 'url_attach']) await db.schema.alterTable('messages').addColumn(c, 'text').execute();
  for (const c of ['reply_id', 'edited', 'keyboard_blocked', 'url_id', 'url_only']) {
    await db.schema.alterTable('messages').addColumn(c, 'bigint', (col) => col.notNull().defaultTo(0)).execute();
  }
  await db.schema.alterTable('messages').addColumn('url_preview', 'bigint', (col) => col.notNull().defaultTo(1)).execute();

  let t: CreateTableBuilder<any, any> = db.schema.createTable('message_likes');
  for (const c of ['message_id', 'user_id', 'created_at']) t = int(t, c);
  // One like per user and message: a second like is a conflict, not a second row.
  await t.addPrimaryKeyConstraint('message_likes_pk', ['message_id', 'user_id']).execute();

  t = db.schema.createTable('message_files');
  for (const c of ['message_id', 'file_id', 'position']) t = int(t, c);
  await t.addPrimaryKeyConstraint('message_files_pk', ['message_id', 'file_id']).execute();

  for (const row of await db.selectFrom('messages').select(['id', 'params', 'created_at']).where('params', '<>', '{}').execute()) {
    await moveParams(db, Number(row.id), Number(row.created_at), JSON.parse(String(row.params)) as Json);
  }
  await db.schema.alterTable('messages').dropColumn('params').execute();
};
export default step;

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
const ids = (v: unknown) => (Array.isArray(v) ? v.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0) : []);

// One message's PARAMS into its columns and rows. IS_DELETED is the `deleted` column already.
async function moveParams(db: Kysely<any>, id: number, createdAt: number, p: Json): Promise<void> {
  // The link preview was kept inside ATTACH, named by URL_ID: it moves to a column of its own.
  const urlIds = new Set(ids(p.URL_ID).map(String));
  const attach = Array.isArray(p.ATTACH) ? p.ATTACH as Json[] : [];
  const preview = attach.filter((a) => urlIds.has(String(a?.ID)));
  const own = attach.filter((a) => !urlIds.has(String(a?.ID)));
  await db.updateTable('messages').set({
    attach: own.length ? json(own) : null,
    keyboard: json(p.KEYBOARD),
    menu: json(p.MENU),
    url_preview: p.URL_PREVIEW === 'N' ? 0 : 1,
    reply_id: Number(p.REPLY_ID) > 0 ? Number(p.REPLY_ID) : 0,
    edited: p.IS_EDITED === 'Y' ? 1 : 0,
    keyboard_blocked: p.KEYBOARD_BLOCKED === 'Y' ? 1 : 0,
    url_id: ids(p.URL_ID)[0] ?? 0,
    url_only: p.URL_ONLY === 'Y' ? 1 : 0,
    url_attach: preview.length ? json(preview.at(-1)) : null,
  }).where('id', '=', id).execute();
  // Like times were not kept: the message's own time plus the position keeps the order they were given in.
  const likes = [...new Set(ids(p.LIKE))].map((user_id, i) => ({ message_id: id, user_id, created_at: createdAt + i }));
  if (likes.length) await db.insertInto('message_likes').values(likes).execute();
  const files = [...new Set(ids(p.FILE_ID))].map((file_id, position) => ({ message_id: id, file_id, position }));
  if (files.length) await db.insertInto('message_files').values(files).execute();
}
