import { expect } from 'chai';
import type { DestinationSet } from '../../../src/delivery/destination-set.js';
import { Worker } from '../../../src/delivery/worker.js';
import { createLogger } from '../../../src/logger.js';
import type { Store } from '../../../src/store/store.js';
import { eventually } from '../../support/eventually.js';

/** A store with nothing to claim that records the worker's calls and hands out its onWork. */
function quietStore() {
  const calls = { claim: 0, unsubscribed: 0 };
  let onWork: (() => void) | null = null;
  const store = {
    engine: 'postgres',
    claim: async () => {
      calls.claim += 1;
      return [];
    },
    nextDueAt: async () => null,
    subscribe(fn: () => void) {
      onWork = fn;
      return () => void (calls.unsubscribed += 1);
    },
  } as unknown as Store;
  return { store, calls, notify: () => onWork?.() };
}

describe('the delivery worker with a store that signals work', () => {
  const opts = { destinations: () => ({ caps: new Map() }) as unknown as DestinationSet, clock: { now: () => new Date() }, logger: createLogger({ level: 'silent' }), concurrency: 4, leaseMs: 60_000 };

  it('claims again as soon as the store signals work, without waiting for its idle poll, and unsubscribes on stop', async () => {
    const { store, calls, notify } = quietStore();
    // An hour between polls: only the signal can bring the second claim.
    const w = new Worker({ ...opts, store, idleMs: 3600_000 });
    w.start();
    await eventually(() => expect(calls.claim).to.equal(1));
    notify();
    await eventually(() => expect(calls.claim).to.equal(2));
    await w.stop(100);
    expect(calls.unsubscribed).to.equal(1);
  });

  it('works with a store that has no subscribe (SQLite)', async () => {
    const { store, calls } = quietStore();
    delete (store as { subscribe?: unknown }).subscribe;
    const w = new Worker({ ...opts, store, idleMs: 3600_000 });
    w.start();
    await eventually(() => expect(calls.claim).to.equal(1));
    await w.stop(100);
  });
});
