#!/usr/bin/env node
// Runs the TypeScript CLI directly, so `npx dialin-sim` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { runMain } = await import('../src/cli/main.ts');
await runMain(process.argv.slice(2));
