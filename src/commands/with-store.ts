import { loadSettings } from '../config/env.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** Open the store named by RELAY_DB for one command, and close it after. */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  const store = await openStore(settings.db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
