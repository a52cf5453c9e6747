import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseRulesYaml, type ParsedYaml } from '../../config/rules-parse.js';
import { didYouMean } from '../../config/rules-suggest.js';
import type { ErrorDetail } from '../../errors.js';

/** One routing test case: an event and where it must go (or `none`). */
export interface RouteCase {
  name: string;
  /** `file:line:column` of the case, for its report line. */
  where: string;
  /** The body as EnableX would post it: the inline event as JSON, or the named file's bytes. */
  raw: Buffer;
  /** Where the event came from: the inline value's position, or the file's path. */
  eventWhere: string;
  /** Exactly these destinations, in any order; [] for `none`. */
  destinations: string[];
  destinationsWhere: string;
  /** Exactly these routes match, in any order, when given. */
  routes?: string[];
  routesWhere?: string;
}

export type LoadedCases = { ok: true; file: string; cases: RouteCase[] } | { ok: false; file: string; errors: ErrorDetail[] };

const TOP = new Set(['version', 'cases']);
const CASE = new Set(['name', 'event', 'event_file', 'expect']);
const EXPECT = new Set(['destinations', 'routes']);

/**
 * Reads a routing test cases file (see config/routes.test.example.yaml). Never throws: a bad
 * file is every problem found, each at `file:line:column`, as the rules loader reports.
 */
export async function loadCases(file: string): Promise<LoadedCases> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, file, errors: [{ path: `${file}:1:1`, message: `cannot read the test cases file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }] };
  }
  const yaml = parseRulesYaml(text, file);
  if (!yaml.ok) return { ok: false, file, errors: yaml.errors };
  const errors: ErrorDetail[] = [];
  const cases = await readCases(yaml.parsed, dirname(file), errors);
  return errors.length ? { ok: false, file, errors } : { ok: true, file, cases };
}

async function readCases(p: ParsedYaml, dir: string, errors: ErrorDetail[]): Promise<RouteCase[]> {
  const fail = (path: (string | number)[], message: string, key = false): void => void errors.push({ path: p.where(path, { key }), message });
  const top = p.data;
  if (!isMap(top)) return fail([], 'a test cases file is a map with `cases:`, a list of cases'), [];
  unknownKeys(top, TOP, [], fail);
  if (top['version'] !== undefined && top['version'] !== 1) fail(['version'], 'must be 1');
  const list = top['cases'];
  if (!Array.isArray(list) || list.length === 0) return fail(list === undefined ? [] : ['cases'], '`cases:` must list at least one case'), [];
  const out: RouteCase[] = [];
  const names = new Map<string, number>();
  for (const [i, c] of list.entries()) {
    const at = ['cases', i];
    if (!isMap(c)) {
      fail(at, 'a case is a map: name, event (or event_file), expect');
      continue;
    }
    unknownKeys(c, CASE, at, fail);
    const name = c['name'];
    if (typeof name !== 'string' || name.trim() === '') fail(name === undefined ? at : [...at, 'name'], 'a case needs a `name`');
    else if (names.has(name)) fail([...at, 'name'], `duplicate case name "${name}" (first is case ${names.get(name)! + 1})`);
    else names.set(name, i);
    const raw = await eventOf(c, at, p, dir, fail);
    const expect = c['expect'];
    if (!isMap(expect)) {
      fail(expect === undefined ? at : [...at, 'expect'], 'a case needs `expect: { destinations: [...] }` (or `destinations: none`)');
      continue;
    }
    unknownKeys(expect, EXPECT, [...at, 'expect'], fail);
    const destinations = nameList(expect['destinations'], [...at, 'expect', 'destinations'], fail, true);
    const routes = expect['routes'] === undefined ? undefined : nameList(expect['routes'], [...at, 'expect', 'routes'], fail, false);
    if (typeof name !== 'string' || !raw || !destinations || (expect['routes'] !== undefined && !routes)) continue;
    out.push({
      name,
      where: p.where(at),
      raw: raw.bytes,
      eventWhere: raw.where,
      destinations,
      destinationsWhere: p.where([...at, 'expect', 'destinations']),
      ...(routes ? { routes, routesWhere: p.where([...at, 'expect', 'routes']) } : {}),
    });
  }
  return out;
}

type Fail = (path: (string | number)[], message: string, key?: boolean) => void;

async function eventOf(c: Record<string, unknown>, at: (string | number)[], p: ParsedYaml, dir: string, fail: Fail): Promise<{ bytes: Buffer; where: string } | null> {
  const inline = c['event'];
  const file = c['event_file'];
  if ((inline === undefined) === (file === undefined)) {
    fail(at, 'a case needs exactly one of `event` (the body, inline) and `event_file` (a JSON file)');
    return null;
  }
  if (inline !== undefined) return { bytes: Buffer.from(JSON.stringify(inline)), where: p.where([...at, 'event']) };
  if (typeof file !== 'string' || file === '') return fail([...at, 'event_file'], 'must be a file path (relative to this file)'), null;
  const path = resolve(dir, file);
  try {
    return { bytes: await readFile(path), where: path };
  } catch (err) {
    fail([...at, 'event_file'], `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    return null;
  }
}

/** A name, a list of names, or `none` (the event must reach no destination, or match no route). */
function nameList(v: unknown, path: (string | number)[], fail: Fail, required: boolean): string[] | null {
  if (v === undefined && required) return fail(path.slice(0, -1), '`expect` needs `destinations:` (a list, or none)'), null;
  if (v === 'none') return [];
  if (typeof v === 'string' && v !== '') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '')) return [...new Set(v as string[])];
  fail(path, 'must be a name, a list of names, or none');
  return null;
}

function unknownKeys(m: Record<string, unknown>, known: Set<string>, at: (string | number)[], fail: Fail): void {
  for (const k of Object.keys(m)) if (!known.has(k)) fail([...at, k], `unknown key "${k}"${didYouMean(k, known)}; known: ${[...known].join(', ')}`, true);
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
