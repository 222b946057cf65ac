/**
 * The portal's data directory holds secrets (the SQLite database with client secrets and the
 * file-URL key, credentials.txt, the CA key, chat files): it is kept 0700 and its files 0600, and
 * an existing directory is tightened at start, whatever the umask made of it. A mode that cannot be
 * set is a warning in `log` (the portal's), never a failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.ts';

/** Create a directory (and its parents) if missing, and make it 0700. */
export function privateDir(dir: string, log?: Logger): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmod(dir, 0o700, log);
}

/** Make an existing file 0600 (nothing when it is absent). */
export function privateFile(file: string, log?: Logger): void {
  chmod(file, 0o600, log);
}

/** Write a file that only the portal's user may read. */
export function writePrivateFile(file: string, data: string, log?: Logger): void {
  fs.writeFileSync(file, data, { mode: 0o600 });
  chmod(file, 0o600, log); // `mode` above applies only when the file is created
}

/** The SQLite database and its journal files, 0600. */
export function privateDatabase(file: string, log?: Logger): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) privateFile(f, log);
}

/**
 * Tighten what a data directory already holds: itself, credentials.txt and the TLS directory (keys
 * 0600; certificates stay readable by whoever may enter the directory) and the chat files directory
 * (files written from now on are 0600; older ones are behind the 0700 directory).
 */
export function tightenDataDir(dataDir: string, filesDir: string, log?: Logger): void {
  privateDir(dataDir, log);
  privateFile(path.join(dataDir, 'credentials.txt'), log);
  const tls = path.join(dataDir, 'tls');
  if (fs.existsSync(tls)) {
    privateDir(tls, log);
    for (const name of fs.readdirSync(tls)) if (name.endsWith('.key')) privateFile(path.join(tls, name), log);
  }
  privateDir(filesDir, log);
}

function chmod(target: string, mode: number, log: Logger | undefined): void {
  try {
    fs.chmodSync(target, mode);
  } catch (err) {
    // Absent is fine; a directory we may not chmod (not ours, e.g. a mounted volume) is reported, not fatal.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log?.warn({ component: 'store', path: target, err }, `cannot make ${target} private`);
  }
}
