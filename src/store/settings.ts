/** Portal-wide key/value settings (member id, public URL). */
import type { Db } from './db.ts';

/** Read a setting, or undefined when unset. */
export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Write a setting (insert or replace). */
export async function setSetting(db: Db, key: string, value: string): Promise<void> {
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

/**
 * Write a setting only when it has none: true when this call wrote it. Concurrent writers on one
 * database (portal nodes starting together) wait for each other on the key, and exactly one wins.
 */
export async function claimSetting(db: Db, key: string, value: string): Promise<boolean> {
  const res = await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The setting's value, written first with `make()` when it has none; every process gets the same one. */
export async function settingOnce(db: Db, key: string, make: () => string): Promise<string> {
  const found = await getSetting(db, key);
  if (found !== undefined) return found;
  await claimSetting(db, key, make());
  return (await getSetting(db, key))!;
}
