import { readFile } from 'node:fs/promises';
import { loadSettings } from '../config/env.js';
import { loadRules } from '../config/rules.js';
import { failingAfterOf } from '../config/rules-health.js';
import type { Rules } from '../config/rules-types.js';
import { systemClock } from '../domain/clock.js';
import { destinationKinds } from '../delivery/kinds.js';
import { exampleEvents } from '../ingest/examples.js';
import { secretMask } from '../secrets/mask.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { sourceExcerpt } from './source-excerpt.js';

export const usage = `Usage: enx-relay check [rules.yaml] [--json] [--probe]

Checks a rules file as the relay loads it: YAML, schema, \${VAR} references (from this
environment), routes, templates, and what each destination needs (a Slack token, RELAY_SMTP_URL).
Passes: a summary, exit 0. Fails: every error as file:line:column with its line, exit 1.

The file is the argument, else RELAY_RULES, else config/rules.example.yaml.

Options:
  --json    {ok, file, errors | summary, warnings} as JSON
  --probe   also write (and delete) a test object at each mirror destination's target, with the
            credentials the relay would use: exit 1 if one cannot be written`;
import { casesPassed, printCaseReport, runCaseFile } from './case-report.js';
import { createLogger } from '../logger.js';
import { offlineStore } from '../store/offline-store.js';
import { probeDestinations } from './probe-destinations.js';

/**
 * `enx-relay check [rules.yaml] [--probe]`: schema and semantic checks, errors as
 * file:line:column. `--probe` then tries the destinations that can be tried without sending
 * anyone a message (a mirror's bucket or directory takes a write with its credentials).
 */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { options: { json: { type: 'boolean' }, probe: { type: 'boolean' } }, positionals: { max: 1, what: 'one rules file' } });
  const file = positionals[0] ?? process.env['RELAY_RULES'] ?? 'config/rules.example.yaml';
  const result = await loadRules(file, { env: process.env, kinds: destinationKinds, examples: exampleEvents() });
  if (values.json) {
    console.log(JSON.stringify(result.ok ? { ok: true, file, warnings: result.warnings, summary: summaryJson(result.rules) } : { ok: false, file, errors: result.errors }, null, 2));
    return result.ok ? EXIT.ok : EXIT.failed;
  }
  if (!result.ok) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const mask = secretMask(result.secrets ?? []);
    for (const e of result.errors) {
      console.error(`${e.path ?? file}: ${e.message}`);
      const excerpt = sourceExcerpt(text, file, e.path, mask.text);
      if (excerpt) console.error(excerpt);
    }
    console.error(`\n${file}: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; the rules were NOT accepted`);
    return EXIT.failed;
  }
  for (const w of result.warnings) console.log(`${w.path ?? file}: warning: ${w.message}`);
  console.log(summarize(result.rules));
  // The rules name their own routing test cases: a rules change that reroutes one fails here.
  if (result.rules.tests) {
    console.log(`\nrouting test cases: ${result.rules.tests}`);
    const report = await runCaseFile(result.rules.tests, result.rules);
    printCaseReport(report, (l) => console.log(l), (l) => console.error(l));
    if (!casesPassed(report)) return EXIT.failed;
  }
  if (!values.probe) return EXIT.ok;
  console.log('');
  const deps = { settings: loadSettings(), logger: createLogger({ level: 'silent' }), clock: systemClock, store: offlineStore() };
  const failed = await probeDestinations(result.rules, destinationKinds, deps, (line) => console.log(line));
  return failed > 0 ? EXIT.failed : EXIT.ok;
}

function summaryJson(rules: Rules): Record<string, unknown> {
  return {
    hash: rules.hash,
    destinations: [...rules.destinations.values()].map((d) => ({ name: d.name, kind: d.kind })),
    routes: rules.routes.map((r) => ({ name: r.name, when: Object.fromEntries(r.when.map((w) => [w.path, w.source])), to: r.to, stop: r.stop })),
    fallback: rules.fallback,
    retry: rules.retry.scheduleMs.map(fmt),
  };
}

export function summarize(rules: Rules): string {
  const lines = [`${rules.file}: OK (sha256 ${rules.hash.slice(0, 12)})`, '', `destinations (${rules.destinations.size}):`];
  for (const d of rules.destinations.values()) lines.push(`  ${d.name.padEnd(20)} ${d.kind}${d.kind === 'mirror' ? ` to ${String(d.options.to)}` : ''}`);
  lines.push('', `routes (${rules.routes.length}), tried top to bottom:`);
  for (const r of rules.routes) {
    const when = r.when.length === 0 ? 'every event' : r.when.map((w) => `${w.path}=${JSON.stringify(w.source)}`).join(' and ');
    lines.push(`  ${r.name}: when ${when} -> ${r.to.join(', ')}${r.stop ? ' (stop)' : ''}`);
  }
  lines.push('', `fallback: ${rules.fallback ?? '(none: unmatched events are kept as unrouted)'}`);
  lines.push(`retry schedule: ${rules.retry.scheduleMs.map(fmt).join(', ')} (${rules.retry.scheduleMs.length} retries)`);
  const own = [...rules.destinations.values()].filter((d) => d.failingAfterMs !== undefined).map((d) => `${d.name}: ${fmt(d.failingAfterMs!)}`);
  lines.push(`failing after: ${fmt(failingAfterOf(rules, ''))} without a success${own.length > 0 ? ` (${own.join(', ')})` : ''}`);
  return lines.join('\n');
}

function fmt(ms: number): string {
  for (const [unit, size] of [['d', 86400_000], ['h', 3600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
