#!/usr/bin/env node
// Compiles the server (src/) to JavaScript in dist/ with tsc, so `parley` runs plain JavaScript:
// no TypeScript is compiled at run time and start-up stays short. Run by `npm install` (prepare) and
// `npm start` (prestart) when dist/ is missing or older than a source; `--force` rebuilds regardless.
// Without TypeScript (a clone installed without dev dependencies) it says so and stops; such a clone
// cannot run parley (tsx is a dev dependency too): the package to install is `npm pack`'s, built here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { serverBuildIsFresh } from '../bin/server-build.js';

const root = path.resolve(import.meta.dirname, '..');

/** Build when stale; resolves true when a build ran. */
export function buildServer({ force = false } = {}) {
  if (!force && serverBuildIsFresh()) return false;
  let tsc;
  try {
    tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    console.warn('[build] TypeScript (a dev dependency) is not installed: dist/ is not built');
    return false;
  }
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  const res = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('building the server (tsc -p tsconfig.build.json) failed');
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) buildServer({ force: process.argv.includes('--force') });
