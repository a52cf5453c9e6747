import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigInvalidError } from './errors.js';
import type { Settings } from './config/env.js';
import { staticSecrets as configuredSecrets } from './config/static-secrets.js';
import { RulesHolder } from './config/rules-holder.js';
import { SecretHistory } from './secrets/secret-history.js';
import { systemClock, type Clock } from './domain/clock.js';
import { DestinationSet } from './delivery/destination-set.js';
import { destinationKinds } from './delivery/kinds.js';
import { Worker } from './delivery/worker.js';
import { exampleEvents } from './ingest/examples.js';
import { createLogger, type Logger } from './logger.js';
import { RelayMetrics } from './http/metrics.js';
import { RelayEventPublisher } from './relay-events/publish-relay-event.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { startRetention } from './store/retention.js';
import { startupLine } from './startup-line.js';
import { SessionWatchdog } from './sessions/watchdog.js';

export interface Relay {
  server: Server;
  store: Store;
  worker: Worker | null;
  rules: RulesHolder;
  logger: Logger;
  metrics: RelayMetrics;
  /** The session watchdog (tests run a pass with watchdog.pass()). */
  sessionWatchdog: SessionWatchdog;
  url: string;
  /** Stop taking requests, let in-flight deliveries finish (bounded), close the store. */
  stop(): Promise<void>;
}

export interface RelayOptions {
  env?: Record<string, string | undefined>;
  clock?: Clock;
  /** Where the relay's own log lines go (standard output by default). */
  logStream?: NodeJS.WritableStream;
  /** Where `log` destinations write. */
  out?: NodeJS.WritableStream;
}

/** The composition root: settings -> rules -> store -> destinations -> HTTP server + worker. */
export async function startRelay(settings: Settings, opts: RelayOptions = {}): Promise<Relay> {
  const clock = opts.clock ?? systemClock;
  // Every secret seen in this process: stored errors and lines in flight may hold old rules' values.
  const secrets = new SecretHistory();
  const logger = createLogger({ level: settings.logLevel, secrets: () => secrets.list(), destination: opts.logStream, format: settings.logFormat });
  const staticSecrets = configuredSecrets(settings);
  secrets.add(staticSecrets);
  if (!settings.ingestAuth) logger.warn('RELAY_INGEST_USER / RELAY_INGEST_PASSWORD are unset: the webhook intake is open to anyone who can reach it');

  const rules = new RulesHolder(settings.rulesPath, { env: opts.env ?? process.env, kinds: destinationKinds, examples: exampleEvents(), logger });
  await rules.load();
  secrets.add([...staticSecrets, ...rules.current().secrets]);

  const store = await openStore(settings.db, { logger });
  const metrics = new RelayMetrics(store, clock);
  rules.onReject(() => metrics.rulesReloaded('refused'));
  // The relay's own events (a recording mirrored) are routed by the rules in force, like EnableX's.
  const relayEvents = new RelayEventPublisher({ store, destinations: (): DestinationSet => destinations, clock, logger, onPublished: () => worker?.wake() });
  const deps = { settings, logger, clock, store, out: opts.out, relayEvents };
  let destinations: DestinationSet = new DestinationSet(rules.current(), destinationKinds, deps);
  rules.onChange((next) => {
    const old = destinations;
    destinations = new DestinationSet(next, destinationKinds, deps);
    secrets.add([...staticSecrets, ...next.secrets]);
    metrics.rulesReloaded('applied');
    // Sends in flight still hold the old set: it closes when the last of them is done.
    old.retire();
  });
  rules.watch();

  const worker = settings.worker
    ? new Worker({ store, destinations: () => destinations, clock, logger, concurrency: settings.workerConcurrency, leaseMs: settings.leaseMs, onSettled: (d, s) => metrics.attemptSettled(d, s) })
    : null;
  const app = createApp({ settings, store, destinations: () => destinations, rules, clock, logger, metrics, secrets: () => secrets.list(), onIngested: () => worker?.wake() });
  const server = createServer(app.callback());
  // Bounded request time: a client that trickles a body cannot hold a socket forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port, settings.host, resolve);
    });
  } catch (err) {
    rules.close();
    await destinations.close();
    await store.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new ConfigInvalidError('RELAY_PORT', `cannot listen on ${settings.host}:${settings.port}: ${code === 'EADDRINUSE' ? 'the address is already in use' : 'permission denied'}`);
    }
    // A host name that does not resolve, or an address of no interface of this machine.
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') {
      throw new ConfigInvalidError('RELAY_HOST', `cannot listen on ${settings.host}: ${code === 'EADDRNOTAVAIL' ? 'no interface of this machine has that address' : 'the name does not resolve'} (0.0.0.0 listens on every interface)`);
    }
    throw err;
  }
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  worker?.start();
  // Expectations overdue in sessions, announced as relay events (every replica looks; `once` makes one event).
  const watchdog = new SessionWatchdog({ store, expectations: () => rules.current().expectations ?? [], clock, logger, intervalMs: settings.watchIntervalMs, sink: relayEvents });
  watchdog.start();
  const retention = startRetention({ store, logger, retentionMs: settings.retentionMs, clock });
  const started = startupLine(settings, url, { worker: !!worker });
  logger.info(started.fields, started.msg);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      logger.info('stopping: no new requests; finishing deliveries in flight');
      retention.stop();
      await watchdog.stop();
      rules.close();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await worker?.stop(settings.shutdownGraceMs);
      server.closeAllConnections();
      await closed;
      await destinations.close();
      await store.close();
      logger.info('stopped');
    })());
  return { server, store, worker, rules, logger, metrics, sessionWatchdog: watchdog, url, stop };
}
