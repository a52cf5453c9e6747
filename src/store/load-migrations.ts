import { readdirSync, readFileSync } from 'node:fs';

/** One numbered SQL file of an engine's migrations folder (`001_init.sql`). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{3})_[\w-]+\.sql$/;

/**
 * An engine's migrations, in order. Each engine passes `new URL('./migrations/', import.meta.url)`:
 * the build copies the .sql files next to the compiled js, so the same URL works from src and dist.
 */
export function loadMigrations(dir: URL): Migration[] {
  return readdirSync(dir)
    .filter((f) => FILE.test(f))
    .sort()
    .map((name) => ({ version: Number(FILE.exec(name)![1]), name, sql: readFileSync(new URL(name, dir), 'utf8') }));
}
