/**
 * Several nodes starting together on one fresh PostgreSQL database all migrate it, or find it done:
 * none fails on the race of creating the same table (seen as "duplicate key value violates unique
 * constraint pg_type_typname_nsp_index" when three nodes started at once).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from './helpers/portal.ts';
import { databaseFor } from './helpers/postgres.ts';
import { openStore } from '../src/store/db.ts';

test('six stores opening one fresh PostgreSQL database at once', async (t) => {
  for (let round = 0; round < 3; round++) {
    const d = await databaseFor('postgres');
    if (d.skip) return t.skip(d.skip);
    try {
      const opened = await Promise.allSettled(Array.from({ length: 6 }, () => openStore({ dataDir: tempDir(), db: d.db })));
      const failed = opened.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
      for (const r of opened) if (r.status === 'fulfilled') await r.value.close();
      assert.deepEqual(failed, [], `round ${round}`);
    } finally {
      await d.drop();
    }
  }
});
