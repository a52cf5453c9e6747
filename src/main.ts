#!/usr/bin/env node
// `npm start`: the relay itself (the same as `enx-relay serve`).
import { run } from './commands/serve.js';

run().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed; a straggling handle (a keep-alive socket) must not keep us up.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (err: unknown) => {
    console.error(`enx-relay: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  },
);
