import type { Store } from '../../src/store/store.js';
import { adminContract } from './admin.contract.js';
import { claimContract } from './claim.contract.js';
import { completeContract } from './complete.contract.js';
import { ingestContract } from './ingest.contract.js';
import { lifecycleContract } from './lifecycle.contract.js';

export interface StoreHarness {
  store: Store;
  /** Closes (if still open) and removes whatever the store used. */
  cleanup(): Promise<void>;
}

/** Each test gets a fresh, migrated, empty store. */
export interface Ctx {
  readonly store: Store;
}

/**
 * The store contract: every engine runs this unchanged, e.g.
 * `storeContract('sqlite', async () => ({ store, cleanup }))`. Times come from a fixed timeline
 * (store-fixtures.ts), never the wall clock.
 */
export function storeContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, function () {
    let h: StoreHarness | null = null;
    const ctx: Ctx = {
      get store(): Store {
        if (!h) throw new Error('no store: used outside a test');
        return h.store;
      },
    };
    beforeEach(async () => {
      h = await makeStore();
    });
    afterEach(async () => {
      await h?.cleanup();
      h = null;
    });

    ingestContract(ctx);
    claimContract(ctx);
    completeContract(ctx);
    adminContract(ctx);
    lifecycleContract(ctx);
  });
}
