#!/usr/bin/env node
import { cliMain, type CommandTable } from './commands/cli-main.js';
import { version } from './version.js';

/**
 * Every command of `enx-relay`, in the order `--help` lists them. A command is one module in
 * src/commands exporting `usage` and `run(args)`: add a line here and it has help, "did you
 * mean", and the common exit codes.
 */
const COMMANDS: CommandTable = {
  serve: { synopsis: 'serve', summary: 'run the relay (HTTP intake + delivery worker)', load: () => import('./commands/serve.js') },
  check: { synopsis: 'check [rules.yaml] [--probe]', summary: 'check a rules file: a summary, or every error as file:line:column; --probe writes a test object to each mirror target', load: () => import('./commands/check.js') },
  route: { synopsis: 'route <event.json|-> | --example T', summary: 'which routes match an event and what each destination would get', load: () => import('./commands/route.js') },
  test: { synopsis: 'test <cases.yaml> [--rules FILE]', summary: 'routing test cases: each event must reach the destinations it names', load: () => import('./commands/test.js') },
  send: { synopsis: 'send --example TYPE', summary: 'post a sample event to a running relay', load: () => import('./commands/send.js') },
  events: { synopsis: 'events', summary: "recent events and each delivery's state", load: () => import('./commands/events.js') },
  event: { synopsis: 'event <id>', summary: 'one event with every attempt of every delivery', load: () => import('./commands/event.js') },
  sessions: { synopsis: 'sessions', summary: 'recent video sessions: events, when each ended, overdue expectations', load: () => import('./commands/sessions.js') },
  session: { synopsis: 'session <key>', summary: "one session's timeline and record, with its expectations", load: () => import('./commands/session.js') },
  replay: { synopsis: 'replay', summary: 'put dead (or chosen) deliveries back to pending', load: () => import('./commands/replay.js') },
  purge: { synopsis: 'purge --dead|--delivered', summary: 'delete finished events received before a time', load: () => import('./commands/purge.js') },
  rejected: { synopsis: 'rejected', summary: 'bodies that failed to parse or validate', load: () => import('./commands/rejected.js') },
  migrate: { synopsis: 'migrate', summary: 'create the database or apply pending migrations', load: () => import('./commands/migrate.js') },
};

cliMain(COMMANDS, process.argv.slice(2), version).then(
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
