/**
 * Which portal a `parley` command works on, by one rule: `--data` (or `--db`), then `PARLEY_DATA`
 * (`PARLEY_DB`), then a config file (PARLEY_CONFIG, ./parley.json, ~/.config/parley/config.json),
 * then `./data`. Every command says on stderr which database that gave and what decided it; one
 * that changes data refuses a SQLite database that is not there yet unless it was named outright.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileDecides, findConfigFile, loadConfig, readConfigFile, type Config, type ConfigInput } from '../config.ts';

/** The rule, as the refusals print it. */
export const PORTAL_RULE = 'a command finds its portal by --data, else PARLEY_DATA (--db, PARLEY_DB for PostgreSQL), '
  + 'else a config file (PARLEY_CONFIG, ./parley.json, ~/.config/parley/config.json), else ./data';

/** A portal the rule found but a command may not use; main.ts prints it as a usage error (exit 2). */
export class LocationError extends Error {}

/** A PostgreSQL URL as it may be printed: without its password. */
export function shownDbUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'a PostgreSQL database (URL unreadable)';
  }
}

/**
 * The configuration for one command: `flags` are its options (data, db and the rest), `creates`
 * whether it may create the database where the rule led (`parley start` does; other commands only
 * where --data, PARLEY_DATA, --db or PARLEY_DB named it).
 */
export function locatePortal(flags: ConfigInput, creates: boolean): Config {
  const file = findConfigFile();
  const fromFile = file ? readConfigFile(file) : {};
  const config = loadConfig(flags, fromFile);
  let shown: string;
  let why: string;
  let named: boolean;
  if (config.db) {
    shown = `PostgreSQL ${shownDbUrl(config.db)}`;
    why = flags.db !== undefined ? '--db' : fileDecides('db', flags, fromFile) ? `db in ${file}` : 'PARLEY_DB';
    named = true;
  } else {
    shown = path.join(config.dataDir, 'parley.sqlite');
    const byFile = fileDecides('dataDir', flags, fromFile);
    why = flags.dataDir !== undefined ? '--data' : byFile ? `data in ${file}` : process.env.PARLEY_DATA ? 'PARLEY_DATA' : './data';
    named = why === '--data' || why === 'PARLEY_DATA';
    if (!creates && !named && !fs.existsSync(shown)) {
      throw new LocationError(byFile
        ? `no portal database at ${shown} (data in ${file}): parley start creates it; or fix the file`
        : `no portal database at ${shown}: ${PORTAL_RULE} where a portal database already is (parley start creates one); run this where the portal's ./data is, or say where`);
    }
  }
  const fresh = !config.db && !fs.existsSync(shown) ? '; a new portal' : '';
  console.error(`parley: using ${shown} (${why}${fresh})`);
  return config;
}
