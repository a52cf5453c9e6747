import { expect } from 'chai';
import { loadSettings } from '../../../src/config/env.js';
import { parseRules } from '../../../src/config/rules.js';
import { DestinationSet } from '../../../src/delivery/destination-set.js';
import { destinationKinds } from '../../../src/delivery/kinds.js';
import { exampleEvents } from '../../../src/ingest/examples.js';
import { createLogger } from '../../../src/logger.js';
import { RelayEventPublisher } from '../../../src/relay-events/publish-relay-event.js';
import type { RelayEventDraft } from '../../../src/relay-events/relay-event.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { pgSchema, type PgSchema } from '../../support/pg-schema.js';
import { ManualClock } from '../delivery/fixtures/delivery-fixtures.js';

/** Two replicas on one PostgreSQL schema publishing the same relay event at once: one event. */
describe('relay events on PostgreSQL, two replicas', function () {
  this.timeout(20_000);
  let db: PgSchema;
  const stores: PostgresStore[] = [];
  const sets: DestinationSet[] = [];

  beforeEach(() => (db = pgSchema()));
  afterEach(async () => {
    for (const s of sets.splice(0)) await s.close();
    for (const s of stores.splice(0)) await s.close();
    await db.drop();
  });

  async function replica(): Promise<RelayEventPublisher> {
    const store = new PostgresStore(db.url, { schema: db.schema, max: 4 });
    await store.migrate();
    stores.push(store);
    const rules = parseRules('version: 1\ndestinations:\n  ops: { log: {} }\nroutes:\n  - name: news\n    to: ops\n', 'rules.yaml', { env: {}, kinds: destinationKinds, examples: exampleEvents() });
    if (!rules.ok) throw new Error('rules');
    const logger = createLogger({ level: 'silent' });
    const clock = new ManualClock();
    const set = new DestinationSet(rules.rules, destinationKinds, { settings: loadSettings({}), logger, clock, store });
    sets.push(set);
    return new RelayEventPublisher({ store, destinations: () => set, clock, logger });
  }

  it('exactly one is stored, with one set of deliveries', async () => {
    const [a, b] = [await replica(), await replica()];
    const draft: RelayEventDraft = { type: 'relay.test.happened', once: 'x:1', fields: {}, session: { appId: 'a', roomId: 'r', confNum: '1' } };
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([a.publish({ ...draft, once: `x:${round}` }), b.publish({ ...draft, once: `x:${round}` })]);
      expect(results.filter((r) => r.published), `round ${round}`).to.have.length(1);
      expect(new Set(results.map((r) => r.eventId)).size).to.equal(1, 'both name the same event');
    }
    const rows = await db.sql<{ n: string }>("SELECT count(*) AS n FROM events WHERE type = 'relay.test.happened'");
    expect(Number(rows[0]!.n)).to.equal(5);
    const deliveries = await db.sql<{ n: string }>('SELECT count(*) AS n FROM deliveries');
    expect(Number(deliveries[0]!.n)).to.equal(5);
  });
});
