/**
 * A portal's state opened: the store, seeded on first use, its first-run logins written next to it.
 * `parley start` serves it (src/http/server.ts); the other `parley` commands open it without serving,
 * which keeps the HTTP server and every method declaration out of a command's start-up.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { openStore, type Store } from '../store/db.ts';
import { makePortal, type Portal } from '../portal.ts';
import { privateDir, writePrivateFile } from '../store/private-files.ts';
import { seedPortal, type SeededLogin } from './users.ts';

/**
 * The store of a configuration, seeded on first use; `seeded` holds the logins this call created.
 * `log` gets the store's warnings (a running portal's log; a command's are not written).
 */
export async function openState(config: Config, log?: Logger): Promise<{ store: Store; seeded: SeededLogin[] }> {
  const store = await openStore({ dataDir: config.dataDir, db: config.db, log });
  try {
    const seeded = await seedPortal(store.db);
    if (seeded.length) writeCredentials(config.dataDir, seeded, log);
    return { store, seeded };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/**
 * The portal's state without serving it, as a `parley` command opens it beside a running portal (or
 * none): wake() reaches no dispatcher here, a running portal's finds the new rows at its next poll.
 */
export async function openPortal(config: Config): Promise<{ portal: Portal; close(): Promise<void> }> {
  const { store } = await openState(config);
  try {
    return { portal: await makePortal(config, store), close: () => store.close() };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/**
 * First-run logins are written next to the database (0600), where later starts point to them: the
 * passwords are printed only by the start that seeded them.
 */
function writeCredentials(dataDir: string, seeded: SeededLogin[], log?: Logger): void {
  privateDir(dataDir, log); // with PostgreSQL, nothing else may have made it yet
  const file = path.join(dataDir, 'credentials.txt');
  const lines = seeded.map((s) => `${s.id}\t${s.login}\t${s.password}\t${s.name}`);
  writePrivateFile(file, `# id\tlogin\tpassword\tname\n${lines.join('\n')}\n`, log);
}
