import type { Clock } from '../../src/domain/clock.js';
import type { Store } from '../../src/store/store.js';
import { adminContract } from './admin.contract.js';
import { adminPagesContract } from './admin-pages.contract.js';
import { claimContract } from './claim.contract.js';
import { completeContract } from './complete.contract.js';
import { countsContract } from './counts.contract.js';
import { ingestContract } from './ingest.contract.js';
import { lifecycleContract } from './lifecycle.contract.js';
import { replayContract } from './replay.contract.js';
import { stateContract } from './state.contract.js';
import { healthContract } from './health.contract.js';
import { sessionsContract } from './sessions.contract.js';

export interface StoreHarness {
  store: Store;
  /** Closes (if still open) and removes whatever the store used. */
  cleanup(): Promise<void>;
}

/** Each test gets a fresh, migrated, empty store. */
export interface Ctx {
  readonly store: Store;
  /** The store's clock: the wall clock until a test sets it (the store stamps state with it). */
  readonly clock: SettableClock;
}

export interface SettableClock extends Clock {
  set(to: Date | null): void;
}

function settableClock(): SettableClock {
  let fixed: Date | null = null;
  return {
    now: () => fixed ?? new Date(),
    set(to) {
      fixed = to;
    },
  };
}

/**
 * The store contract: every engine runs this unchanged, e.g.
 * `storeContract('sqlite', async ({ clock }) => ({ store, cleanup }))`, the store built with that
 * clock. Times come from a fixed timeline (store-fixtures.ts), never the wall clock.
 */
export function storeContract(name: string, makeStore: (opts: { clock: Clock }) => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, function () {
    let h: StoreHarness | null = null;
    const clock = settableClock();
    const ctx: Ctx = {
      get store(): Store {
        if (!h) throw new Error('no store: used outside a test');
        return h.store;
      },
      clock,
    };
    beforeEach(async () => {
      clock.set(null);
      h = await makeStore({ clock });
    });
    afterEach(async () => {
      await h?.cleanup();
      h = null;
    });

    ingestContract(ctx);
    claimContract(ctx);
    completeContract(ctx);
    adminContract(ctx);
    adminPagesContract(ctx);
    lifecycleContract(ctx);
    stateContract(ctx);
    countsContract(ctx);
    replayContract(ctx);
    healthContract(ctx);
    sessionsContract(ctx);
  });
}
