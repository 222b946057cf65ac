#!/usr/bin/env node
// The `parley` command. It runs the server compiled to JavaScript in dist/. Installed from the
// packed package there is no src/ and dist/ is all there is. In a clone (dist/ built at `npm install`
// and by `npm start`, scripts/build-server.js), while dist/ is missing or older than a source, it
// runs the TypeScript sources through tsx's loader (a dev dependency) instead, so an edit never
// runs stale code.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SERVER_ENTRY, SOURCES, serverBuildIsFresh } from './server-build.js';

let main;
if (!fs.existsSync(SOURCES) || serverBuildIsFresh()) {
  if (!fs.existsSync(SERVER_ENTRY)) {
    console.error(`parley: ${SERVER_ENTRY} is missing: this copy of parley was packed without its build (npm pack builds it)`);
    process.exit(1);
  }
  process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(SERVER_ENTRY).href));
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error('parley: dist/ is older than src/ and tsx (a dev dependency) is not installed: run `npm run build:server`');
    process.exit(1);
  }
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv);
