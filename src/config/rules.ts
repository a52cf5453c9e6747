import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DestinationKind } from '../delivery/destination.js';
import { systemClock, type Clock } from '../domain/clock.js';
import type { RelayEvent } from '../domain/event.js';
import type { ErrorDetail } from '../errors.js';
import { buildRules, type RulesData } from './rules-build.js';
import { checkRules } from './rules-check.js';
import { parseRulesYaml, type ParsedYaml } from './rules-parse.js';
import { validateRulesSchema } from './rules-schema.js';
import { rulesSecrets } from './rules-secrets.js';
import type { RulesResult } from './rules-types.js';
import { substituteVars, type VarProblem } from './var-subst.js';
import { secretMask } from '../secrets/mask.js';

export interface RulesOptions {
  /** Where `${VAR}` values come from (usually process.env). */
  env: Record<string, string | undefined>;
  /** Destination kinds whose own `check` runs on their destinations. */
  kinds?: ReadonlyMap<string, DestinationKind>;
  /** Example events: their fields are known to templates, and kinds render them as a check. */
  examples?: RelayEvent[];
  clock?: Clock;
}

/** Reads and checks a rules file. Never throws: a bad file is `{ ok: false, errors }`. */
export async function loadRules(file: string, opts: RulesOptions): Promise<RulesResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { ok: false, errors: [{ path: `${file}:1:1`, message: `cannot read the rules file (${reason})` }] };
  }
  return parseRules(text, file, opts);
}

/**
 * YAML -> schema -> `${VAR}` -> semantic checks. Every error found is reported (not only the
 * first), each at `file:line:column`; messages never carry a substituted value.
 */
export function parseRules(text: string, file: string, opts: RulesOptions): RulesResult {
  const yaml = parseRulesYaml(text, file);
  if (!yaml.ok) return yaml;
  const { parsed } = yaml;

  const subst = substituteVars(parsed.data, opts.env);
  // `${VAR}` values first, then credentials written in the file itself (promise 4).
  const secrets = [...new Set([...subst.secrets, ...rulesSecrets(subst.data)])];
  const errors: ErrorDetail[] = subst.problems.map((p) => ({ path: referencePos(parsed, p), message: p.message }));
  // A missing variable leaves an empty string behind: the schema's complaint about it is noise.
  const varPaths = new Set(subst.problems.map((p) => p.path.join('\u0000')));
  for (const p of validateRulesSchema(subst.data)) {
    if (!varPaths.has(p.path.join('\u0000'))) errors.push({ path: parsed.where(p.path, { key: p.key }), message: p.message });
  }
  if (errors.length > 0) return failed(errors, secrets, parsed.hints);

  const built = buildRules(subst.data as RulesData, { ...parsed, data: subst.data });
  const checked = checkRules(built.rules, { ...parsed, data: subst.data }, opts);
  errors.push(...built.errors, ...checked.errors);
  if (errors.length > 0) return failed(errors, secrets, parsed.hints);

  return {
    ok: true,
    rules: {
      ...built.rules,
      file,
      hash: createHash('sha256').update(text, 'utf8').digest('hex'),
      loadedAt: (opts.clock ?? systemClock).now().toISOString(),
      secrets,
      source: text,
      ...(typeof (subst.data as RulesData).tests === 'string' ? { tests: resolve(dirname(file), (subst.data as RulesData).tests!) } : {}),
    },
    warnings: checked.warnings.map((w) => mask(w, secrets)),
  };
}

function referencePos(parsed: ParsedYaml, p: VarProblem): string {
  const src = parsed.sourceOf(p.path);
  const i = src ? src.text.indexOf(p.reference) : -1;
  return src && i >= 0 ? parsed.whereOffset(src.start + i) : parsed.where(p.path);
}

function failed(errors: ErrorDetail[], secrets: string[], hints: ReadonlyMap<string, string>): RulesResult {
  const seen = new Set<string>();
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    // A value emptied by a `#` comment: that is the mistake, whatever check tripped over it, once.
    const hint = e.path === undefined ? undefined : hints.get(e.path);
    const message = hint ?? e.message;
    const id = `${e.path}\u0000${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(mask({ ...e, message }, secrets));
  }
  return { ok: false, errors: out.sort(byPosition), secrets };
}

/** Secrets masked where they stand as values in a message, never inside its words (see secretMask). */
function mask(e: ErrorDetail, secrets: string[]): ErrorDetail {
  return { ...e, message: secretMask(secrets).text(e.message) };
}

/** Errors in file order, as an admin fixes them; the sort is stable for errors at one place. */
function byPosition(a: ErrorDetail, b: ErrorDetail): number {
  const pa = lineCol(a.path);
  const pb = lineCol(b.path);
  return pa[0] - pb[0] || pa[1] - pb[1];
}

function lineCol(path: string | undefined): [number, number] {
  const m = /:(\d+):(\d+)$/.exec(path ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}
