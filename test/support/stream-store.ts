import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { pgSchema, type PgSchema } from './pg-schema.js';

/** One stored event of a stream, as an outside observer reads it from the relay's database. */
export interface StoredEvent {
  conf: string;
  deliveries: number;
  delivered: number;
}

/** The store a streamed relay runs on: its RELAY_DB, and a way to read what it holds. */
export interface StreamStore {
  engine: 'sqlite' | 'postgres';
  /** RELAY_DB for the relay. */
  db: string;
  /** The events whose conf_num starts with `prefix`, each with its deliveries counted. */
  snapshot(prefix: string): Promise<StoredEvent[]>;
  /** Removes what it made (the PostgreSQL schema; a SQLite file goes with its folder). */
  close(): Promise<void>;
}

const COUNTS = (delivered: string) => `
  SELECT e.conf_num AS conf, count(d.id) AS deliveries, ${delivered} AS delivered
  FROM events e LEFT JOIN deliveries d ON d.event_id = e.id
  WHERE e.conf_num LIKE $PREFIX GROUP BY e.id, e.conf_num`;

/** A SQLite file in `dir`, read by a read-only connection of its own while the relay writes. */
export function sqliteStreamStore(dir: string): StreamStore {
  const path = join(dir, 'relay.db');
  return {
    engine: 'sqlite',
    db: `sqlite:${path}`,
    async snapshot(prefix) {
      if (!existsSync(path)) return [];
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        const sql = COUNTS("coalesce(sum(d.status = 'delivered'), 0)").replace('$PREFIX', '?');
        return db.prepare(sql).all(`${prefix}-%`) as StoredEvent[];
      } finally {
        db.close();
      }
    },
    close: async () => undefined,
  };
}

/** A throwaway schema of the test PostgreSQL, dropped on close. */
export function postgresStreamStore(schema: PgSchema = pgSchema()): StreamStore & { schema: PgSchema } {
  const url = new URL(schema.url);
  url.searchParams.set('schema', schema.schema);
  return {
    engine: 'postgres',
    schema,
    db: url.toString(),
    async snapshot(prefix) {
      const client = new pg.Client({ connectionString: schema.url, options: `-c search_path=${schema.schema}` });
      await client.connect();
      try {
        const exists = await client.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'events'", [schema.schema]);
        if (exists.rowCount === 0) return [];
        const sql = COUNTS("count(*) FILTER (WHERE d.status = 'delivered')").replace('$PREFIX', '$1');
        const { rows } = await client.query<{ conf: string; deliveries: string; delivered: string }>(sql, [`${prefix}-%`]);
        return rows.map((r) => ({ conf: r.conf, deliveries: Number(r.deliveries), delivered: Number(r.delivered) }));
      } finally {
        await client.end();
      }
    },
    close: () => schema.drop(),
  };
}
