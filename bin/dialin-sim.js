#!/usr/bin/env node
// Runs the CLI from its JavaScript build (dist/, made by `npm install`'s
// prepare script) when that build is current, else from the TypeScript
// source through tsx, so an edit to src/ takes effect at once.
import { freshBundle } from './cli-bundle.js';

const bundle = freshBundle(new URL('../dist/', import.meta.url));
let runMain;
if (bundle) {
  ({ runMain } = await import(bundle.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runMain } = await import('../src/cli/main.ts'));
}
await runMain(process.argv.slice(2));
