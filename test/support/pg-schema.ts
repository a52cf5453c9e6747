import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use (CI and dev machines run one with trust auth). */
export const PG_TEST_URL = process.env.RELAY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface PgSchema {
  url: string;
  /** A fresh name, e.g. enx_test_3f9a1c2b4d5e; not created: the store's migrate() creates it. */
  schema: string;
  /** Runs SQL as an outside observer (or a second writer), with search_path on the schema. */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** One throwaway schema per test, so tests never see each other's rows. */
export function pgSchema(url = PG_TEST_URL): PgSchema {
  const schema = `enx_test_${randomBytes(6).toString('hex')}`;
  const once = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> => {
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    url,
    schema,
    sql: once,
    drop: async () => void (await once(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
  };
}
