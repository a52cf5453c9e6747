import { join } from 'node:path';
import { loadSettings } from '../../../../src/config/env.js';
import { parseRules } from '../../../../src/config/rules.js';
import { DestinationSet } from '../../../../src/delivery/destination-set.js';
import { executeDelivery, type Settled } from '../../../../src/delivery/execute-delivery.js';
import { destinationKinds } from '../../../../src/delivery/kinds.js';
import type { Delivery } from '../../../../src/domain/delivery.js';
import type { RelayEvent } from '../../../../src/domain/event.js';
import { exampleEvents } from '../../../../src/ingest/examples.js';
import { createLogger } from '../../../../src/logger.js';
import { RelayEventPublisher } from '../../../../src/relay-events/publish-relay-event.js';
import { planDeliveries } from '../../../../src/routing/plan-deliveries.js';
import { openStore } from '../../../../src/store/open-store.js';
import type { Store } from '../../../../src/store/store.js';
import { LineCapture } from '../../../support/line-capture.js';
import { tempDir } from '../../../support/temp-dir.js';
import { ManualClock } from '../fixtures/delivery-fixtures.js';

export interface MirrorHarness {
  store: Store;
  set: DestinationSet;
  clock: ManualClock;
  /** What `log` destinations printed. */
  out: LineCapture;
  dir: string;
  /** Plans and stores the event as the webhook would. */
  ingest(event: RelayEvent): Promise<void>;
  /** Claims what is due now and runs each delivery once, as the worker does. */
  runDue(): Promise<Settled[]>;
  /** Runs what is due until nothing is left due, moving the clock to each next attempt (bounded). */
  drain(maxRounds?: number): Promise<Settled[]>;
  deliveries(eventId: string, destination?: string): Promise<Delivery[]>;
  /** Relay events stored, oldest first. */
  relayEvents(): Promise<RelayEvent[]>;
  close(): Promise<void>;
}

/**
 * The mirror destination as the relay runs it: rules checked by the real loader, the SQLite
 * store, the relay-event publisher, and the worker's own executeDelivery; only the worker's loop
 * is replaced by explicit rounds, with a clock the test moves.
 */
export async function mirrorHarness(rulesText: string, env: Record<string, string> = {}): Promise<MirrorHarness> {
  const tmp = tempDir('enx-mirror-');
  const store = await openStore({ engine: 'sqlite', path: join(tmp.dir, 'relay.db') });
  const clock = new ManualClock();
  const logger = createLogger({ level: 'silent' });
  const loaded = parseRules(rulesText, 'rules.yaml', { env: { AWS_REGION: 'us-east-1', ...env }, kinds: destinationKinds, examples: exampleEvents() });
  if (!loaded.ok) throw new Error(`rules refused: ${JSON.stringify(loaded.errors)}`);
  const out = new LineCapture();
  let set: DestinationSet;
  const relayEvents = new RelayEventPublisher({ store, destinations: () => set, clock, logger });
  set = new DestinationSet(loaded.rules, destinationKinds, { settings: loadSettings({}), logger, clock, store, out, relayEvents });
  const signal = new AbortController().signal;
  const runDue = async (): Promise<Settled[]> => {
    const claimed = await store.claim({ now: clock.now(), limit: 100, leaseMs: 60_000 });
    // Each attempt and its record: the harness looks once both are done.
    return Promise.all(claimed.map(async (d) => {
      const { settled, recorded } = await executeDelivery(d, { store, destinations: set, clock, logger, signal, leaseMs: 60_000 });
      await recorded;
      return settled;
    }));
  };
  return {
    store,
    set,
    clock,
    out,
    dir: tmp.dir,
    async ingest(event) {
      await store.ingest(event, planDeliveries(event, set), { dedupeSince: new Date(0) });
    },
    runDue,
    async drain(maxRounds = 30) {
      const all: Settled[] = [];
      for (let i = 0; i < maxRounds; i++) {
        const done = await runDue();
        all.push(...done);
        const next = await store.nextDueAt(clock.now());
        if (done.length === 0 && !next) return all;
        if (done.length === 0 && next) clock.ms = Math.max(clock.ms, next.getTime());
      }
      return all;
    },
    async deliveries(eventId, destination) {
      return (await store.listDeliveries(eventId)).filter((d) => !destination || d.destination === destination);
    },
    async relayEvents() {
      const list = await store.listEvents({ limit: 100 });
      const ids = list.filter((e) => e.type.startsWith('relay.')).map((e) => e.id).reverse();
      return (await Promise.all(ids.map((id) => store.getEvent(id)))).filter((e): e is RelayEvent => e !== null);
    },
    async close() {
      await set.close();
      await store.close();
      tmp.cleanup();
    },
  };
}
