/**
 * Secrets the protocol only compares are stored as SHA-256 hashes from now on: access and refresh
 * tokens, OAuth codes, session ids and webhook codes. Existing rows are hashed in place (dead ones
 * dropped first), so every token, session and webhook URL out there keeps working; the columns are
 * renamed so no query can compare a plaintext with a hash by mistake. Webhooks keep the first
 * characters of their code (code_hint) to be told apart in listings. The REST call log is emptied.
 */
import crypto from 'node:crypto';
import type { Step } from '../migration-kit.ts';

// The same function as src/auth/secret-hash.ts, written out so this step never changes with it.
const sha256 = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

const step: Step = async (db) => {
  const now = Date.now();
  await db.deleteFrom('tokens').where('refresh_expires_at', '<', now).execute();
  await db.deleteFrom('oauth_codes').where('expires_at', '<', now).execute();
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();

  for (const r of await db.selectFrom('tokens').select(['access_token', 'refresh_token']).execute()) {
    await db.updateTable('tokens').set({ access_token: sha256(r.access_token), refresh_token: sha256(r.refresh_token) })
      .where('access_token', '=', r.access_token).execute();
  }
  for (const r of await db.selectFrom('oauth_codes').select('code').execute()) {
    await db.updateTable('oauth_codes').set({ code: sha256(r.code) }).where('code', '=', r.code).execute();
  }
  for (const r of await db.selectFrom('sessions').select('id').execute()) {
    await db.updateTable('sessions').set({ id: sha256(r.id) }).where('id', '=', r.id).execute();
  }
  await db.schema.alterTable('webhooks').addColumn('code_hint', 'text', (c) => c.notNull().defaultTo('')).execute();
  for (const r of await db.selectFrom('webhooks').select(['id', 'code']).execute()) {
    await db.updateTable('webhooks').set({ code: sha256(r.code), code_hint: String(r.code).slice(0, 4) }).where('id', '=', r.id).execute();
  }

  // Rows logged before the call log redacted by value may hold webhook URLs and file bytes: the log
  // is a bounded debugging aid, so it starts afresh.
  await db.deleteFrom('rest_calls').execute();

  // Renaming keeps each column's primary-key or unique index, so every lookup stays indexed.
  await db.schema.alterTable('tokens').renameColumn('access_token', 'access_hash').execute();
  await db.schema.alterTable('tokens').renameColumn('refresh_token', 'refresh_hash').execute();
  await db.schema.alterTable('oauth_codes').renameColumn('code', 'code_hash').execute();
  await db.schema.alterTable('sessions').renameColumn('id', 'id_hash').execute();
  await db.schema.alterTable('webhooks').renameColumn('code', 'code_hash').execute();
};
export default step;
