import { expect } from 'chai';
import { join } from 'node:path';
import { loadSettings } from '../../../../src/config/env.js';
import { parseRules } from '../../../../src/config/rules.js';
import { DestinationSet } from '../../../../src/delivery/destination-set.js';
import { destinationKinds } from '../../../../src/delivery/kinds.js';
import { Worker } from '../../../../src/delivery/worker.js';
import { systemClock } from '../../../../src/domain/clock.js';
import { exampleEvents } from '../../../../src/ingest/examples.js';
import { createLogger } from '../../../../src/logger.js';
import { planDeliveries } from '../../../../src/routing/plan-deliveries.js';
import { openStore } from '../../../../src/store/open-store.js';
import type { Store } from '../../../../src/store/store.js';
import { eventually } from '../../../support/eventually.js';
import { FakePortal, sha256Of } from '../../../support/fake-portal.js';
import { tempDir } from '../../../support/temp-dir.js';
import { fixtureEvent } from '../fixtures/delivery-fixtures.js';

const MB = 1024 * 1024;

/**
 * The worker's backstop (MAX_SEND_MS, here shortened to 300 ms) cuts off every other kind's
 * send; a mirror declares its own bound (max_transfer, and a stall timeout while no byte moves),
 * so a transfer that keeps progressing runs past the worker's backstop, its lease renewed all the
 * while, and one that stops moving is still cut off.
 */
describe('a long mirror transfer under the real worker', function () {
  this.timeout(20_000);
  let portal: FakePortal;
  let store: Store;
  let tmp: ReturnType<typeof tempDir>;
  let worker: Worker | null = null;
  let set: DestinationSet;

  beforeEach(async () => {
    portal = await FakePortal.start({ username: 'u', password: 'p' });
    tmp = tempDir();
    store = await openStore({ engine: 'sqlite', path: join(tmp.dir, 'relay.db') });
  });
  afterEach(async () => {
    await worker?.stop(1000);
    await set?.close();
    await store.close();
    await portal.close();
    tmp.cleanup();
  });

  function start(stall: string): void {
    const rules = parseRules(
      `version: 1\ndestinations:\n  vault:\n    mirror:\n      to: file://${join(tmp.dir, 'copies')}\n      source_auth: { username: u, password: p }\n      stall_timeout: ${stall}\nroutes:\n  - name: keep\n    to: vault\n`,
      'rules.yaml',
      { env: {}, kinds: destinationKinds, examples: exampleEvents() },
    );
    if (!rules.ok) throw new Error(JSON.stringify(rules.errors));
    const logger = createLogger({ level: 'silent' });
    set = new DestinationSet(rules.rules, destinationKinds, { settings: loadSettings({}), logger, clock: systemClock, store });
    worker = new Worker({ store, destinations: () => set, clock: systemClock, logger, concurrency: 4, leaseMs: 1000, maxSendMs: 300, idleMs: 50 });
    worker.start();
  }

  it('runs well past the backstop while bytes keep moving, with its lease renewed, and the copy is whole', async () => {
    start('1s');
    // 3 MiB at 1 MiB/s: about 3 s, ten times the backstop and three leases long.
    const url = portal.file('/slow/rec-1.mkv', { size: 3 * MB, rate: MB });
    const event = fixtureEvent('recording', { recording: [url], trans_date: Math.floor(Date.now() / 1000) });
    await store.ingest(event, planDeliveries(event, set), { dedupeSince: new Date(0) });
    worker!.wake();
    await portal.waitFor(() => portal.bytesSent('/slow/rec-1.mkv') > MB);
    // Mid-transfer, past the first lease: nobody else may claim it (the lease was renewed).
    await new Promise((r) => setTimeout(r, 1100));
    expect((await store.listDeliveries(event.id))[0]!.status).to.equal('delivering', 'still at it');
    expect(await store.claim({ now: new Date(), limit: 10, leaseMs: 1000 })).to.deep.equal([]);
    await eventually(async () => expect((await store.listDeliveries(event.id))[0]!.status).to.equal('delivered'), 10_000);
    const [attempt] = await store.listAttempts((await store.listDeliveries(event.id))[0]!.id);
    expect(attempt!.durationMs).to.be.greaterThan(2000);
    expect(portal.requests).to.have.length(1, 'one transfer, never cut off and restarted');
    const { readFileSync } = await import('node:fs');
    const { createHash } = await import('node:crypto');
    const copy = join(tmp.dir, 'copies', event.appId, event.roomId, event.confNum, 'rec-1.mkv');
    expect(createHash('sha256').update(readFileSync(copy)).digest('hex')).to.equal(sha256Of(3 * MB));
  });

  it('is still cut off when nothing moves for stall_timeout', async () => {
    start('400ms');
    const url = portal.file('/stuck/rec-1.mkv', { size: 3 * MB, stallAfter: 256 * 1024, faultyTimes: 1 });
    const event = fixtureEvent('recording', { recording: [url], trans_date: Math.floor(Date.now() / 1000) });
    await store.ingest(event, planDeliveries(event, set), { dedupeSince: new Date(0) });
    worker!.wake();
    await eventually(async () => expect((await store.listDeliveries(event.id))[0]!.lastError).to.match(/^stalled: /), 5000);
  });
});
