import { expect } from 'chai';
import { join } from 'node:path';
import { loadSettings } from '../../../src/config/env.js';
import { parseRules } from '../../../src/config/rules.js';
import { DestinationSet } from '../../../src/delivery/destination-set.js';
import { destinationKinds } from '../../../src/delivery/kinds.js';
import { eventView } from '../../../src/domain/event-view.js';
import { exampleEvents } from '../../../src/ingest/examples.js';
import { acceptPayload } from '../../../src/ingest/accept.js';
import { ReservedTypeError } from '../../../src/errors.js';
import { createLogger } from '../../../src/logger.js';
import { createRelayEvent, relayDedupeKey } from '../../../src/relay-events/create-relay-event.js';
import { RelayEventPublisher } from '../../../src/relay-events/publish-relay-event.js';
import { aboutDestination, isRelayEvent, type RelayEventDraft } from '../../../src/relay-events/relay-event.js';
import { routeEvent } from '../../../src/routing/route-event.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { tempDir } from '../../support/temp-dir.js';
import { ManualClock } from '../delivery/fixtures/delivery-fixtures.js';

const session = { appId: '64f0c1a2e7b9d81f2c3a4b5c', roomId: '6750a8f1c2d3e4f5a6b7c8d9', confNum: '917345201' };

function draft(over: Partial<RelayEventDraft> = {}): RelayEventDraft {
  return { type: 'relay.test.happened', session, cause: { id: '0193a1b2-0000-7000-8000-000000000001', type: 'recording' }, aboutDestination: 'vault', fields: { detail: 'x' }, once: 'vault:e1', ...over };
}

function rules(text: string) {
  const r = parseRules(text, 'rules.yaml', { env: {}, kinds: destinationKinds, examples: exampleEvents() });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.rules;
}

describe('relay events', () => {
  it('are events like EnableX\'s: the envelope, the session, the cause, what they are about, their fields', () => {
    const at = new Date('2026-11-27T10:00:00Z');
    const e = createRelayEvent(draft(), at);
    expect(isRelayEvent(e)).to.equal(true);
    expect(e.body).to.deep.equal({
      type: 'relay.test.happened',
      origin: 'enx-relay',
      trans_date: '2026-11-27T10:00:00.000Z',
      app_id: session.appId,
      room_id: session.roomId,
      conf_num: session.confNum,
      cause: { event_id: '0193a1b2-0000-7000-8000-000000000001', type: 'recording' },
      about: { destination: 'vault' },
      detail: 'x',
    });
    expect(JSON.parse(e.raw.toString('utf8'))).to.deep.equal(e.body, 'the stored bytes are the body');
    expect([e.appId, e.roomId, e.confNum]).to.deep.equal([session.appId, session.roomId, session.confNum]);
    expect(e.files).to.deep.equal([], 'nothing a mirror could fetch');
    expect(e.occurredAt).to.equal('2026-11-27T10:00:00.000Z');
    const view = eventView(e);
    expect(view.expires_at).to.equal(null, 'a relay event has no portal link of its own');
    expect(aboutDestination(view)).to.equal('vault');
  });

  it('one not about a session has empty session fields', () => {
    const e = createRelayEvent(draft({ session: undefined, cause: undefined }), new Date());
    expect([e.appId, e.roomId, e.confNum]).to.deep.equal(['', '', '']);
    expect(e.body).to.not.have.any.keys('app_id', 'cause');
  });

  it('its identity is its type and `once`, not its time', () => {
    const a = createRelayEvent(draft(), new Date(1));
    const b = createRelayEvent(draft(), new Date(2));
    expect(a.dedupeKey).to.equal(b.dedupeKey);
    expect(a.dedupeKey).to.equal(relayDedupeKey({ type: 'relay.test.happened', once: 'vault:e1' }));
    expect(createRelayEvent(draft({ once: 'vault:e2' }), new Date(1)).dedupeKey).to.not.equal(a.dedupeKey);
  });

  it('a type\'s fields cannot overwrite the envelope', () => {
    expect(() => createRelayEvent(draft({ fields: { origin: 'enablex' } }), new Date())).to.throw(/reserved/);
    expect(() => createRelayEvent(draft({ fields: { type: 'recording' } }), new Date())).to.throw(/reserved/);
  });

  it('one about a destination never goes there, not even as the fallback', () => {
    const r = rules(`version: 1
destinations:
  vault: { log: {} }
  ops: { log: {} }
routes:
  - name: all
    to: [vault, ops]
fallback: vault
`);
    const e = createRelayEvent(draft(), new Date());
    expect(routeEvent(r, eventView(e)).deliveries.map((d) => d.destination)).to.deep.equal(['ops']);
    const onlyFallback = rules(`version: 1\ndestinations:\n  vault: { log: {} }\nroutes: []\nfallback: vault\n`);
    expect(routeEvent(onlyFallback, eventView(e)).deliveries).to.deep.equal([]);
    // An EnableX event with a body field "about" is not a relay event: nothing is excluded.
    const enablex = acceptPayload(Buffer.from(JSON.stringify({ type: 'recording', trans_date: 1, app_id: 'a', room_id: 'r', conf_num: 'c', recording: ['https://x/y'], about: { destination: 'vault' } })), null, new Date());
    expect(routeEvent(r, eventView(enablex)).deliveries.map((d) => d.destination)).to.deep.equal(['vault', 'ops']);
  });

  it('EnableX cannot send one: a relay.* type is refused, whatever its case', () => {
    for (const type of ['relay.recording.mirrored', 'Relay.recording.mirrored', ' relay.x']) {
      const raw = Buffer.from(JSON.stringify({ type, trans_date: 1, app_id: 'a', room_id: 'r', conf_num: 'c' }));
      expect(() => acceptPayload(raw, 'application/json', new Date()), type).to.throw(ReservedTypeError).with.property('httpStatus', 422);
    }
    // A type that only contains the word is EnableX's business.
    expect(acceptPayload(Buffer.from(JSON.stringify({ type: 'relayed', trans_date: 1, app_id: 'a', room_id: 'r', conf_num: 'c' })), null, new Date()).type).to.equal('relayed');
  });

  describe('publishing', () => {
    let store: Store;
    let tmp: ReturnType<typeof tempDir>;
    let set: DestinationSet;
    let woken = 0;
    let publisher: RelayEventPublisher;
    const clock = new ManualClock();

    beforeEach(async () => {
      tmp = tempDir();
      store = await openStore({ engine: 'sqlite', path: join(tmp.dir, 'r.db') });
      set = new DestinationSet(
        rules(`version: 1
destinations:
  vault: { log: {} }
  ops: { log: {} }
  archive: { log: {} }
routes:
  - name: news
    when: { type: "relay.*" }
    to: [vault, ops]
  - name: everything
    to: archive
`),
        destinationKinds,
        { settings: loadSettings({}), logger: createLogger({ level: 'silent' }), clock, store },
      );
      woken = 0;
      publisher = new RelayEventPublisher({ store, destinations: () => set, clock, logger: createLogger({ level: 'silent' }), onPublished: () => woken++ });
    });
    afterEach(async () => {
      await set.close();
      await store.close();
      tmp.cleanup();
    });

    it('stores it with the deliveries the rules give it, and wakes the worker', async () => {
      const r = await publisher.publish(draft());
      expect(r.published).to.equal(true);
      const id = (r as { eventId: string }).eventId;
      const stored = await store.getEvent(id);
      expect(stored!.type).to.equal('relay.test.happened');
      expect((await store.listDeliveries(id)).map((d) => [d.destination, d.route])).to.deep.equal([
        ['ops', 'news'],
        ['archive', 'everything'],
      ]);
      expect(woken).to.equal(1);
    });

    it('once: a second publish of the same draft is the first event, whenever it comes', async () => {
      const first = await publisher.publish(draft());
      clock.ms += 30 * 86_400_000;
      const again = await publisher.publish(draft({ fields: { detail: 'other' } }));
      expect(again).to.deep.equal({ published: false, eventId: (first as { eventId: string }).eventId, reason: 'duplicate' });
      expect((await store.listEvents({ limit: 10 })).length).to.equal(1);
      expect(woken).to.equal(1);
    });

    it('two publishing at the same moment make one event', async () => {
      const results = await Promise.all([publisher.publish(draft()), publisher.publish(draft())]);
      expect(results.filter((r) => r.published)).to.have.length(1);
      expect((await store.listEvents({ limit: 10 })).length).to.equal(1);
    });

    it('a relay event cannot cause another: refused, nothing stored', async () => {
      const r = await publisher.publish(draft({ cause: { id: 'x', type: 'relay.recording.mirrored' } }));
      expect(r).to.deep.equal({ published: false, eventId: null, reason: 'loop' });
      expect(await store.listEvents({ limit: 10 })).to.deep.equal([]);
    });
  });
});
