import { didYouMean } from '../config/rules-suggest.js';
import { BadRequestError, RelayError } from '../errors.js';
import { escapeControl } from '../logging/control-chars.js';
import { CommandFailure, UsageError } from './command-errors.js';
import { EXIT } from './exit-codes.js';

/** A command module: its usage text (`enx-relay NAME --help`) and what it does. */
export interface CommandModule {
  usage: string;
  run(args: string[]): Promise<number>;
}

/** One line of `enx-relay --help` and the module, loaded only when the command runs. */
export interface CommandEntry {
  synopsis: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

export type CommandTable = Record<string, CommandEntry>;

/**
 * `enx-relay [COMMAND] [options]`: help and version, "did you mean" for a mistyped command, and
 * `COMMAND --help` printing that command's usage without running anything.
 */
export async function cliMain(table: CommandTable, argv: string[], version: string): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic !== undefined && table[topic]) return printUsage(table[topic]);
    if (topic !== undefined) return unknownCommand(table, topic);
    console.log(overview(table, version));
    return EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    console.log(version);
    return EXIT.ok;
  }
  const entry = table[name];
  if (!entry) return unknownCommand(table, name);
  if (wantsHelp(args)) return printUsage(entry);
  try {
    return await (await entry.load()).run(args);
  } catch (err) {
    return report(name, err);
  }
}

function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function printUsage(entry: CommandEntry): Promise<number> {
  console.log((await entry.load()).usage);
  return EXIT.ok;
}

function unknownCommand(table: CommandTable, name: string): number {
  const hint = name.startsWith('-') ? '' : didYouMean(name, new Set(Object.keys(table)));
  console.error(`enx-relay: unknown ${name.startsWith('-') ? 'option' : 'command'} "${escapeControl(name)}"${hint}\n(enx-relay --help lists the commands)`);
  return EXIT.usage;
}

export function overview(table: CommandTable, version: string): string {
  const width = Math.max(...Object.values(table).map((e) => e.synopsis.length)) + 2;
  const lines = Object.values(table).map((e) => `  ${e.synopsis.padEnd(width)}${e.summary}`);
  return [
    `enx-relay ${version}: relay EnableX video webhooks to Slack, email and HTTP by YAML rules`,
    '',
    'Usage: enx-relay <command> [options]',
    '',
    ...lines,
    '',
    'enx-relay <command> --help shows its options; enx-relay --version the version.',
    'Settings come from the environment (RELAY_DB, RELAY_RULES, ...): see README.md.',
    'Exit codes: 0 done, 1 failed, 2 the command line was wrong.',
  ].join('\n');
}

/** Why the command failed, in one or a few lines, never a stack trace for an expected failure. */
function report(command: string, err: unknown): number {
  // BadRequestError comes from parsers the admin API shares (--status, --since): a usage mistake here.
  if (err instanceof UsageError || err instanceof BadRequestError) {
    console.error(`enx-relay ${command}: ${err.message}\n(enx-relay ${command} --help shows its usage)`);
    return EXIT.usage;
  }
  if (err instanceof CommandFailure) {
    console.error(`enx-relay ${command}: ${err.message}`);
    return EXIT.failed;
  }
  if (err instanceof RelayError) {
    console.error(`enx-relay ${command}: ${err.message}`);
    for (const d of err.details) console.error(`  ${d.path ? `${d.path}: ` : ''}${d.message}`);
    return EXIT.failed;
  }
  console.error(`enx-relay ${command}: ${(err as Error).stack ?? String(err)}`);
  return EXIT.failed;
}
