import { withStore } from './with-store.js';

/** `enx-relay migrate`: opening the store applies pending migrations. */
export async function run(): Promise<number> {
  await withStore(async (store) => {
    await store.ping();
    console.log(`migrations applied (${store.engine})`);
  });
  return 0;
}
