import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { benchEvent } from './ingest-load.js';
import { v7 as uuidv7 } from 'uuid';
const [path, nStr, dest] = process.argv.slice(2);
const n = Number(nStr);
const s = new SqliteStore(path!);
await s.migrate();
const t = performance.now();
const since = new Date(0);
let i = 0;
await Promise.all(Array.from({ length: 64 }, async () => {
  while (i < n) { const e = benchEvent(i++); await s.ingest(e, [{ id: uuidv7(), destination: dest ?? 'recv', route: 'all', orderKey: null }], { dedupeSince: since }); }
}));
console.log('seeded', n, 'in', Math.round(performance.now() - t), 'ms', await s.stats());
await s.close();
