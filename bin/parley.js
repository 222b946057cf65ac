#!/usr/bin/env node
// The `parley` command. Sources are TypeScript run through tsx's loader, so there is no build step
// between `npm install` and `npm start`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
