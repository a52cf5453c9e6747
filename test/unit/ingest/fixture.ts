import { readdirSync, readFileSync } from 'node:fs';

const DIR = new URL('../../fixtures/enablex/', import.meta.url);

/** A fixture's bytes, exactly as on disk (the relay keeps raw bodies byte for byte). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, DIR));
}

export function fixtureBody(name: string): Record<string, unknown> {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, unknown>;
}

export function fixtureNames(): string[] {
  return readdirSync(DIR).sort();
}
