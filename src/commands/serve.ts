import { loadSettings } from '../config/env.js';
import { ConfigInvalidError, RelayError, RulesInvalidError } from '../errors.js';
import { startRelay } from '../relay.js';

/**
 * `enx-relay serve` (and `npm start`): run until SIGTERM/SIGINT; SIGHUP reloads the rules.
 * A bad setting or bad rules at start stop the process with the reason, exit code 1.
 */
export async function run(): Promise<number> {
  let settings;
  try {
    settings = loadSettings();
  } catch (err) {
    if (err instanceof ConfigInvalidError) {
      console.error(`enx-relay: bad setting ${err.message}`);
      return 1;
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
      return 1;
    }
    if (err instanceof RelayError) {
      // A bad setting found late (the port is taken) or a store that cannot open: one line.
      console.error(`enx-relay: ${err instanceof ConfigInvalidError ? 'bad setting ' : ''}${err.message}`);
      return 1;
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
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err: String(err) }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
}
