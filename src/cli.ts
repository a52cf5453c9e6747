#!/usr/bin/env node
import { RelayError } from './errors.js';
import { version as VERSION } from './version.js';

const USAGE = `enx-relay ${VERSION}: relay EnableX video webhooks to Slack, email and HTTP by YAML rules

Usage: enx-relay <command> [options]

  serve                        run the relay (HTTP intake + delivery worker); the default
  check [rules.yaml] [--probe] check a rules file: a summary, or every error as file:line:column;
                               --probe also writes a test object to each mirror's target
  route <event.json> [--rules FILE]
                               which routes match an event, and the message each destination
                               would get (nothing is sent)
  send --example TYPE [--url URL] [--count N]
                               post a sample event (roomdrop, recording, transcoded,
                               file-transfer) to a running relay
  events [--status S] [--type T] [--since 1h] [--limit N] [--json]
                               recent events with each delivery's status, attempts, last error
  replay [--status dead] [--destination D] [--since 1h|ISO] [--event ID] [--dry-run]
                               put deliveries back to pending with a fresh schedule
  purge (--dead | --delivered) [--before ISO|14d]
                               delete old events (dead ones only on purpose)
  rejected [--limit N]         bodies that failed to parse or validate
  migrate                      apply database migrations and exit

Settings come from the environment (RELAY_DB, RELAY_RULES, ...): see README.md.`;

const COMMANDS: Record<string, () => Promise<{ run(args: string[]): Promise<number> }>> = {
  serve: () => import('./commands/serve.js'),
  check: () => import('./commands/check.js'),
  route: () => import('./commands/route.js'),
  send: () => import('./commands/send.js'),
  events: () => import('./commands/events.js'),
  replay: () => import('./commands/replay.js'),
  purge: () => import('./commands/purge.js'),
  rejected: () => import('./commands/rejected.js'),
  migrate: () => import('./commands/migrate.js'),
};

async function main(argv: string[]): Promise<number> {
  const [name = 'serve', ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(VERSION);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`enx-relay: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  return (await load()).run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      // A mistyped option: say which, not a stack trace.
      console.error(`enx-relay: ${(err as Error).message}\n(enx-relay --help lists the commands and their options)`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof RelayError) {
      console.error(`enx-relay: ${err.message}`);
      for (const d of err.details) console.error(`  ${d.path ? d.path + ': ' : ''}${d.message}`);
    } else {
      console.error(`enx-relay: ${(err as Error).stack ?? String(err)}`);
    }
    process.exitCode = 1;
  },
);
