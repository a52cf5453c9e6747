import { readFileSync } from 'node:fs';

/**
 * The relay's version, read once from package.json. The path is relative to this module so that
 * it resolves from src/ (tsx) and from dist/ (built) alike: both sit one level below the root.
 */
export const version: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Sent on every outgoing request, so receivers can tell the relay (and its version) apart. */
export const userAgent = `enx-relay/${version}`;
