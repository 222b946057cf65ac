/**
 * Migration 0018 on a PostgreSQL store as the release before it left it (32-bit `serial` ids): every
 * id column becomes bigint with its sequence, the rows stay, and a row can then take an id past
 * 2 147 483 647 — which the portal reads back and serves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { restForm, testPortal } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { databaseFor } from './helpers/postgres.ts';
import { migrate } from '../src/store/migrations.ts';
import { seedPortal } from '../src/domain/users.ts';

const PAST_INT4 = 2_147_483_648 + 41;

test('PostgreSQL ids widen to bigint and keep their rows', async (t) => {
  const store = await databaseFor('postgres');
  if (store.skip) return t.skip(store.skip);
  const caps = { name: 'postgres', skipLocked: true, oneWriter: false } as const;
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: store.db }) }) });
  let portal: Awaited<ReturnType<typeof testPortal>> | undefined;
  try {
    await migrate(db, caps, 17);
    await seedPortal(db);
    const idType = async () => (await sql<{ table_name: string; data_type: string }>`
      select table_name, data_type from information_schema.columns
      where table_schema = current_schema() and column_name = 'id' order by table_name`.execute(db)).rows;
    const before = await idType();
    assert.ok(before.filter((c) => c.data_type === 'integer').length >= 16, JSON.stringify(before));
    const users = (await db.selectFrom('users').select(['id', 'login']).orderBy('id').execute());
    // Past int4 the old column refuses the id outright.
    await assert.rejects(sql`select setval(pg_get_serial_sequence('messages', 'id'), ${PAST_INT4})`.execute(db), /out of bounds|out of range/);

    await migrate(db, caps);
    const after = await idType();
    // Every numeric id is bigint now (a connector's id is its code, text, by design: migration 0021).
    assert.deepEqual(after.filter((c) => c.data_type !== 'bigint' && !(c.table_name === 'ol_connectors' && c.data_type === 'text')), []);
    assert.deepEqual(await db.selectFrom('users').select(['id', 'login']).orderBy('id').execute(), users);
    await sql`select setval(pg_get_serial_sequence('messages', 'id'), ${PAST_INT4})`.execute(db);
    await db.destroy();

    portal = await testPortal({ db: store.db });
    const anna = await webhookFor(portal, 2);
    const sent = await restForm(anna, 'im.message.add', { DIALOG_ID: 3, MESSAGE: 'past int4' });
    assert.equal(sent.body.result, PAST_INT4 + 1);
    const got = await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: 3 });
    assert.deepEqual(got.body.result.messages.map((m: any) => [m.id, m.text]), [[PAST_INT4 + 1, 'past int4']]);
  } finally {
    await portal?.close();
    await store.drop();
  }
});
