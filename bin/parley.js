#!/usr/bin/env node
// The `parley` command. It runs the server compiled to JavaScript in dist/ (built at install and by
// `npm start`, scripts/build-server.js); when dist/ is missing or older than a source — while
// editing src/ — it runs the TypeScript sources through tsx's loader instead, so an edit never runs
// stale code.
import { pathToFileURL } from 'node:url';
import { SERVER_ENTRY, serverBuildIsFresh } from './server-build.js';

let main;
if (serverBuildIsFresh()) {
  process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(SERVER_ENTRY).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv);
