import { describeDb } from '../config/describe-db.js';
import { loadSettings } from '../config/env.js';
import { ConfigInvalidError, RelayError, RulesInvalidError, StoreUnavailableError } from '../errors.js';
import { startRelay } from '../relay.js';
import { UsageError } from './command-errors.js';
import { EXIT } from './exit-codes.js';
import { reasonOf } from './with-store.js';

/** What `serve --port` and the like meant. */
const SETTINGS: Record<string, string> = { port: 'RELAY_PORT', host: 'RELAY_HOST', rules: 'RELAY_RULES', db: 'RELAY_DB', database: 'RELAY_DB' };

export const usage = `Usage: enx-relay serve

Runs the relay: the webhook intake (POST /webhooks/enablex), health, metrics and admin API, and
the delivery worker. Every setting comes from the environment (RELAY_PORT, RELAY_DB,
RELAY_RULES, ...: see README.md); a bad one stops it at start with one line naming it.
Runs until SIGTERM or SIGINT (deliveries in flight get RELAY_SHUTDOWN_GRACE to finish);
SIGHUP reloads the rules. Under a process manager run \`node dist/cli.js serve\` itself.`;

/**
 * `enx-relay serve` (and `npm start`): run until SIGTERM/SIGINT; SIGHUP reloads the rules.
 * A bad setting, a store that cannot open or bad rules at start stop the process with the
 * reason, exit code 1.
 */
export async function run(args: string[] = []): Promise<number> {
  // `serve --port 9000` must not start on 8080 as if nothing were said.
  if (args.length > 0) {
    const name = /^--?([a-z-]+)/.exec(args[0] ?? '')?.[1];
    const setting = name ? SETTINGS[name] : undefined;
    throw new UsageError(`serve takes no arguments: settings come from the environment${setting ? `, e.g. ${setting}=${args[1] ?? '...'} enx-relay serve` : ' (RELAY_PORT, RELAY_DB, RELAY_RULES, ...)'}`);
  }
  let settings;
  try {
    settings = loadSettings();
  } catch (err) {
    if (err instanceof ConfigInvalidError) {
      console.error(`enx-relay: bad setting ${err.message}`);
      return EXIT.failed;
    }
    throw err;
  }
  let relay;
  try {
    relay = await startRelay(settings);
  } catch (err) {
    if (err instanceof RulesInvalidError) {
      console.error(`enx-relay: rules refused: ${err.message}`);
      for (const d of err.details) console.error(`  ${d.path ?? ''}: ${d.message}`);
      return EXIT.failed;
    }
    if (err instanceof StoreUnavailableError) {
      // At start nothing is retried: a path that cannot hold a database is a setting to fix.
      console.error(`enx-relay: bad setting RELAY_DB: cannot open ${describeDb(settings.db)}: ${reasonOf(err)}`);
      return EXIT.failed;
    }
    if (err instanceof RelayError) {
      // A bad setting found late (the port is taken): one line.
      console.error(`enx-relay: ${err instanceof ConfigInvalidError ? 'bad setting ' : ''}${err.message}`);
      return EXIT.failed;
    }
    throw err;
  }
  const { logger } = relay;
  process.on('SIGHUP', () => {
    logger.info('SIGHUP: reloading rules');
    void relay.rules.reload();
  });
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string): void => {
      logger.info({ signal }, 'signal received');
      relay.stop().then(
        () => resolve(EXIT.ok),
        (err: unknown) => {
          logger.error({ err: String(err) }, 'shutdown failed');
          resolve(EXIT.failed);
        },
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
}
