#!/usr/bin/env node
// Builds the web messenger (ui/) into ui/dist with Vite, and the website live chat (ui/livechat) into
// ui/dist/livechat, when the build is missing or older than any
// of its sources (ui/ and what the UI imports from src/format/: the BB-code renderer, the chat
// colours). Run by `npm install` in a clone and `npm pack` (prepare), `npm start` (prestart) and the
// end-to-end tests, so a `parley start` after an install, and the packed package, serve the
// messenger; `--force` rebuilds regardless.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const ui = path.join(root, 'ui');
// PARLEY_UI_DIST (also read by src/http/web.ts) builds and serves somewhere other than ui/dist.
const outDir = path.resolve(process.env.PARLEY_UI_DIST || path.join(ui, 'dist'));
const stamp = path.join(outDir, 'index.html');

// The newest modification time among the files that go into the bundle.
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'dist' || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(ui);
  // All of src/format, not only bbcode-*: ui/src/chats/strings.ts imports colors.ts from there too.
  walk(path.join(root, 'src/format'));
  return newest;
}

/** Build when stale; resolves true when a build ran, false when none was needed, null when Vite is missing. */
export async function buildUi({ force = false, quiet = false } = {}) {
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (!force && built >= newestSource()) return false;
  let build;
  try {
    ({ build } = await import('vite'));
  } catch {
    console.warn('[build] Vite (a dev dependency) is not installed: ui/dist is not built');
    return null;
  }
  await build({ configFile: path.join(ui, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info', build: { outDir, emptyOutDir: true } });
  // The website live chat, a bundle of its own (ui/vite.livechat.config.ts): the conversation page, then widget.js.
  const livechat = path.join(outDir, 'livechat');
  const config = path.join(ui, 'vite.livechat.config.ts');
  await build({ configFile: config, logLevel: quiet ? 'warn' : 'info', build: { outDir: livechat, emptyOutDir: true } });
  await build({ configFile: config, mode: 'loader', logLevel: quiet ? 'warn' : 'info', build: { outDir: livechat, emptyOutDir: false } });
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildUi({ force: process.argv.includes('--force') }).then((ran) => {
    if (ran === false) console.log('web messenger: ui/dist is up to date');
  }, (err) => {
    console.error(err);
    process.exit(1);
  });
}
