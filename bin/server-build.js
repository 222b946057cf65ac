// Whether dist/ (the server compiled by scripts/build-server.js) is current: built after every
// source in src/ and the build settings, and holding no module whose source is gone. In a clone
// `parley` runs the sources through tsx while it is not; an installed package has no src/ and
// always runs dist/.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
/** The compiled entry point; its time stamps the build (tsc writes it with the rest). */
export const SERVER_ENTRY = path.join(root, 'dist/cli/main.js');
/** The TypeScript sources: present in a clone, absent from the packed package (package.json "files"). */
export const SOURCES = path.join(root, 'src');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

// A compiled module whose .ts was deleted or renamed: tsc leaves it, and a build that still held it
// could run it (migrations are found by listing dist/store/migrations) or pack it.
function hasOrphan(dir, srcDir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (hasOrphan(path.join(dir, e.name), path.join(srcDir, e.name))) return true;
    } else if (e.name.endsWith('.js') && !fs.existsSync(path.join(srcDir, e.name.replace(/\.js$/, '.ts')))) {
      return true;
    }
  }
  return false;
}

/** True when dist/ was built after the last change to src/ (and to the build settings) and has no leftovers. */
export function serverBuildIsFresh() {
  if (!fs.existsSync(SERVER_ENTRY)) return false;
  const built = fs.statSync(SERVER_ENTRY).mtimeMs;
  const settings = ['tsconfig.json', 'tsconfig.build.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs);
  return built >= Math.max(newestSource(SOURCES), ...settings) && !hasOrphan(path.join(root, 'dist'), SOURCES);
}
