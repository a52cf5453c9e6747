import { postgresStreamStore, sqliteStreamStore, type StreamStore } from '../../support/stream-store.js';

/** Each engine a fault runs on: a fresh store in `dir` (SQLite) or a throwaway schema of the test PostgreSQL. */
export const ENGINES: { name: 'sqlite' | 'postgres'; open(dir: string): StreamStore }[] = [
  { name: 'sqlite', open: (dir) => sqliteStreamStore(dir) },
  { name: 'postgres', open: () => postgresStreamStore() },
];
