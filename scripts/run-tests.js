#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's own test runner through tsx. Node 20's --test has no glob
// support, so the files are listed here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const files = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.ts')) files.push(path.relative(root, p));
  }
};
walk(path.join(root, 'test'));
files.sort();
// Arguments: test files, folders of them (`test/e2e`), or options for node --test; none: every file.
const extra = process.argv.slice(2).flatMap((a) => {
  const dir = path.resolve(root, a);
  if (a.startsWith('-') || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [a];
  return files.filter((f) => path.resolve(root, f).startsWith(dir + path.sep));
});
const args = ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...(extra.some((a) => a.endsWith('.ts')) ? [] : files)];
const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(res.status ?? 1);
