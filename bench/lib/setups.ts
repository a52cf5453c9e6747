import { startAlertmanager, type BenchAlertmanager } from './alertmanager.js';
import { freshDb } from './engines.js';
import { alertKeys, eventKeys, startReceiver, type Receiver } from './receiver.js';
import { startBenchRelay, writeRules, type BenchRelay } from './relay.js';
import type { Profile } from './types.js';

/** Alertmanager sending every alert to a receiver of its own, for `run`; both stopped after it. */
export async function withAlertmanager<T>(run: (am: BenchAlertmanager, recv: Receiver) => Promise<T>): Promise<T> {
  const recv = await startReceiver(alertKeys);
  const am = await startAlertmanager(recv.url);
  try {
    return await run(am, recv);
  } finally {
    await am.stop();
    await recv.close();
  }
}

/**
 * The relay on a fresh SQLite file, worker on, every event routed to a receiver of its own, for
 * `run`; the relay and the receiver stopped and the file removed after it.
 */
export async function withRelayToReceiver<T>(p: Profile, run: (relay: BenchRelay, recv: Receiver) => Promise<T>): Promise<T> {
  const db = await freshDb('sqlite');
  const recv = await startReceiver(eventKeys);
  try {
    const relay = await startBenchRelay({ db: db.relayDb, rulesPath: writeRules(db.dir, recv.url, p.destinationConcurrency), worker: true, logLevel: p.logLevel });
    try {
      return await run(relay, recv);
    } finally {
      await relay.stop();
    }
  } finally {
    await recv.close();
    await db.drop();
  }
}
