#!/usr/bin/env node
// The `enx-relay` command, present before any build: npm links a package's bin when it installs
// it (npx into its cache, npm link, a global install) only if the file exists then, so a bin
// pointing into dist/ before the first build was never linked, and never would be.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(`enx-relay is not built yet: run \`npm run build\` (or \`npm start\`, which builds first) in ${fileURLToPath(new URL('..', import.meta.url))}`);
  process.exit(1);
}
await import(cli.href);
