import { v7 as uuidv7 } from 'uuid';
import { acceptPayload } from '../../src/ingest/accept.js';
import { openStore } from '../../src/store/open-store.js';
import type { Settings } from '../../src/config/env.js';
import { fill, RECORDING_TEMPLATE } from './bodies.js';

/**
 * A backlog of `n` pending deliveries, stored through the store API as the intake would store
 * them (acceptPayload, one delivery to `receiver` by route `all`, as writeRules routes them), by
 * 64 concurrent ingests. Event i carries conf_num i (1..n), which the receiver counts.
 */
export async function seedBacklog(db: Settings['db'], n: number): Promise<{ ms: number }> {
  const store = await openStore(db);
  const started = performance.now();
  const since = new Date(0);
  let next = 1;
  try {
    const client = async (): Promise<void> => {
      while (next <= n) {
        const i = next++;
        const event = acceptPayload(Buffer.from(fill(RECORDING_TEMPLATE, i)), 'application/json', new Date());
        const r = await store.ingest(event, [{ id: uuidv7(), destination: 'receiver', route: 'all', orderKey: null }], { dedupeSince: since });
        if (r.duplicate) throw new Error(`seed: event ${i} taken for a duplicate`);
      }
    };
    await Promise.all(Array.from({ length: 64 }, client));
    const { pending } = await store.stats();
    if (pending !== n) throw new Error(`seed: ${pending} pending deliveries stored, ${n} wanted`);
  } finally {
    await store.close();
  }
  return { ms: performance.now() - started };
}
