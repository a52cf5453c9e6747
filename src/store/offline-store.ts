import { StoreUnavailableError } from '../errors.js';
import type { Store } from './store.js';

/**
 * A store for previews (`enx-relay route`): destinations can be built and render, but anything
 * that would touch state refuses, so a preview can never send or record.
 */
export function offlineStore(): Store {
  return new Proxy({ engine: 'sqlite' } as Store, {
    get(target, prop) {
      if (prop === 'engine') return target.engine;
      if (prop === 'claimJoinsIngest') return false;
      // Optional methods stay absent; `then` absent so the proxy is not mistaken for a promise.
      if (prop === 'then' || prop === 'subscribe') return undefined;
      return () => Promise.reject(new StoreUnavailableError('no store in preview mode'));
    },
  });
}
