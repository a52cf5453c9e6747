import { loadSettings } from '../../../src/config/env.js';
import { parseRules } from '../../../src/config/rules.js';
import type { Rules } from '../../../src/config/rules-types.js';
import { DestinationSet } from '../../../src/delivery/destination-set.js';
import { destinationKinds } from '../../../src/delivery/kinds.js';
import type { RelayEvent } from '../../../src/domain/event.js';
import { exampleEvents } from '../../../src/ingest/examples.js';
import { createLogger } from '../../../src/logger.js';
import { RelayEventPublisher } from '../../../src/relay-events/publish-relay-event.js';
import type { RelayEventSink } from '../../../src/relay-events/relay-event.js';
import { planDeliveries } from '../../../src/routing/plan-deliveries.js';
import { sessionTouch } from '../../../src/sessions/session-touch.js';
import { SessionWatchdog } from '../../../src/sessions/watchdog.js';
import { openStore } from '../../../src/store/open-store.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import type { IngestResult, Store } from '../../../src/store/store.js';
import { pgSchema } from '../../support/pg-schema.js';
import { tempDir } from '../../support/temp-dir.js';
import { ManualClock } from '../delivery/fixtures/delivery-fixtures.js';

export const HOUR = 3600_000;

export const RULES = `version: 1
destinations:
  ops: { log: {} }
routes:
  - name: all
    to: ops
sessions:
  expect:
    - name: recording after the session ends
      after: roomdrop
      then: recording
      within: 2h
`;

/** Where a relay keeps its data: one SQLite file or one PostgreSQL schema, opened by each replica. */
export interface Engine {
  name: 'sqlite' | 'postgres';
  open(): Promise<Store>;
  /** Raw SQL on the shared data (PostgreSQL only), to set up what only a race makes. */
  sql?: (text: string) => Promise<unknown[]>;
  cleanup(): Promise<void>;
}

export function engines(): { name: 'sqlite' | 'postgres'; make(): Engine }[] {
  return [
    {
      name: 'sqlite',
      make: () => {
        const t = tempDir('enx-watchdog-');
        return { name: 'sqlite', open: () => openStore({ engine: 'sqlite', path: `${t.dir}/relay.db` }), cleanup: async () => t.cleanup() };
      },
    },
    {
      name: 'postgres',
      make: () => {
        const db = pgSchema();
        return {
          name: 'postgres',
          open: async () => {
            const s = new PostgresStore(db.url, { schema: db.schema, max: 4 });
            await s.migrate();
            return s;
          },
          sql: (text: string) => db.sql(text),
          cleanup: () => db.drop(),
        };
      },
    },
  ];
}

export function rulesOf(text: string): Rules {
  const r = parseRules(text, 'rules.yaml', { env: {}, kinds: destinationKinds, examples: exampleEvents() });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.rules;
}

/** One relay's part: its store connection, destinations, publisher and watchdog, on a manual clock. */
export class Replica {
  readonly clock: ManualClock;
  readonly publisher: RelayEventPublisher;
  readonly watchdog: SessionWatchdog;
  private set: DestinationSet;

  constructor(
    readonly store: Store,
    public rules: Rules,
    clock: ManualClock,
    sink?: (publisher: RelayEventPublisher) => RelayEventSink,
  ) {
    this.clock = clock;
    const logger = createLogger({ level: 'silent' });
    this.set = new DestinationSet(rules, destinationKinds, { settings: loadSettings({}), logger, clock, store });
    this.publisher = new RelayEventPublisher({ store, destinations: () => this.set, clock, logger });
    this.watchdog = new SessionWatchdog({ store, expectations: () => this.rules.expectations ?? [], clock, logger, intervalMs: 1000, sink: sink ? sink(this.publisher) : this.publisher, batch: 2 });
  }

  /** What the webhook does with an event: route it, touch its session, store it. */
  ingest(e: RelayEvent): Promise<IngestResult> {
    const session = sessionTouch(e, this.rules.expectations ?? []);
    return this.store.ingest(e, planDeliveries(e, this.set), { dedupeSince: new Date(0), ...(session ? { session } : {}) });
  }

  async close(): Promise<void> {
    await this.set.close();
    await this.store.close();
  }
}

/** Relay events of `type` stored, oldest first. */
export async function relayEvents(store: Store, type: string): Promise<RelayEvent[]> {
  const listed = await store.listEvents({ limit: 1000, type });
  const events = await Promise.all(listed.map((s) => store.getEvent(s.id)));
  return events.filter((e): e is RelayEvent => e !== null).reverse();
}
