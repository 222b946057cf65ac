// Whether dist/ (the server compiled by scripts/build-server.js) is at least as new as every
// source in src/: only then does `parley` run it instead of the sources through tsx.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
/** The compiled entry point; its time stamps the build (tsc writes it with the rest). */
export const SERVER_ENTRY = path.join(root, 'dist/cli/main.js');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when dist/ was built after the last change to src/ (and to the build settings). */
export function serverBuildIsFresh() {
  if (!fs.existsSync(SERVER_ENTRY)) return false;
  const built = fs.statSync(SERVER_ENTRY).mtimeMs;
  const settings = ['tsconfig.json', 'tsconfig.build.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs);
  return built >= Math.max(newestSource(path.join(root, 'src')), ...settings);
}
