/** Start a bare baseline server (baselines/http-server.ts) in its own process for the length of `fn`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forkChild } from '../processes.ts';

/** The bare servers: a small JSON answer, an insert, a 20-row select. */
export type BaselineMode = 'json' | 'insert' | 'select';

/** Run `fn` with the baseline's URL; the process and its database are gone afterwards. */
export async function withBaseline<T>(mode: BaselineMode, fn: (url: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-baseline-'));
  const child = forkChild('baselines/http-server.ts', [mode, dir]);
  try {
    const { url } = await child.next<{ url: string }>();
    return await fn(url);
  } finally {
    await child.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
