import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DestinationSpec } from '../../config/rules-types.js';
import { rulesKnownFields } from '../../config/rules-fields.js';
import { unknownFields } from '../../templates/engine.js';
import type { CheckContext } from '../destination.js';
import { KEY_FIELDS, planFiles } from './mirror-key.js';
import { parseMirrorOptions, type MirrorOptions } from './mirror-options.js';

type Problem = { path?: string; message: string };

/**
 * A `mirror:` destination at load time, offline: the target is well-formed (and a directory
 * can be written), the credentials are set, the key template compiles, reads known fields only,
 * and gives every example event's files a usable key. Whether the bucket takes writes with these
 * credentials is `enx-relay check --probe`'s question (kind.probe), never a reload's.
 */
export function mirrorCheck(spec: DestinationSpec, ctx: CheckContext): Problem[] {
  const { options, problems } = parseMirrorOptions(spec.options);
  const out: Problem[] = problems.map((p) => ({ path: ctx.posOf(p.option), message: `${spec.name}: ${p.message}` }));
  if (!options) return out;
  const at = (option: string): string => ctx.posOf(spec.options[option] === undefined ? [] : [option]);

  const unknown = unknownFields(options.key, new Set([...rulesKnownFields(ctx.examples), ...KEY_FIELDS]));
  if (unknown.length > 0) out.push({ path: at('key'), message: `${spec.name}: key uses unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` });
  for (const example of ctx.examples.filter((e) => e.files.length > 0)) {
    const bad = planFiles(options.key, options.target, example).find((p) => p.problem);
    if (bad) {
      out.push({ path: at('key'), message: `${spec.name}: key, for a "${example.type}" event: ${bad.problem}` });
      break;
    }
  }
  const locations = ctx.examples.flatMap((e) => {
    const plans = planFiles(options.key, options.target, e);
    return new Set(plans.map((p) => p.location)).size < plans.length ? [e.type] : [];
  });
  if (locations.length > 0) out.push({ path: at('key'), message: `${spec.name}: key gives two files of one "${locations[0]}" event the same place: include {{ file_name }} or {{ file_index }}` });

  out.push(...targetProblems(options, ctx.env).map((message) => ({ path: ctx.posOf(['to']), message: `${spec.name}: ${message}` })));
  return out;
}

function targetProblems(o: MirrorOptions, env: CheckContext['env']): string[] {
  if (o.target.kind === 'file') {
    // The directory, or the nearest folder above it that exists (the relay creates the rest).
    let d = o.target.dir;
    while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
    try {
      if (!statSync(d).isDirectory()) return [`${d} is not a directory`];
      accessSync(d, constants.W_OK | constants.X_OK);
    } catch {
      return [`${d} cannot be written by this process`];
    }
    return [];
  }
  const problems: string[] = [];
  // Not checked when the caller gives no environment (a preview).
  if (!env) return [];
  const hasConfigFile = !!env.AWS_PROFILE || !!env.AWS_CONFIG_FILE || (!!env.HOME && existsSync(join(env.HOME, '.aws', 'config')));
  if (!o.region && !env.AWS_REGION && !env.AWS_DEFAULT_REGION && !hasConfigFile) problems.push('no region: set AWS_REGION (or region: in the rules)');
  if (!!env.AWS_ACCESS_KEY_ID !== !!env.AWS_SECRET_ACCESS_KEY) problems.push('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together');
  return problems;
}
