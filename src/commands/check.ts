import { loadSettings } from '../config/env.js';
import { loadRules } from '../config/rules.js';
import type { Rules } from '../config/rules-types.js';
import { systemClock } from '../domain/clock.js';
import { destinationKinds } from '../delivery/kinds.js';
import { exampleEvents } from '../ingest/examples.js';
import { createLogger } from '../logger.js';
import { offlineStore } from '../store/offline-store.js';
import { probeDestinations } from './probe-destinations.js';

/**
 * `enx-relay check [rules.yaml] [--probe]`: schema and semantic checks, errors as
 * file:line:column. `--probe` then tries the destinations that can be tried without sending
 * anyone a message (a mirror's bucket or directory takes a write with its credentials).
 */
export async function run(args: string[]): Promise<number> {
  const file = args.find((a) => !a.startsWith('-')) ?? process.env['RELAY_RULES'] ?? 'config/rules.example.yaml';
  const result = await loadRules(file, { env: process.env, kinds: destinationKinds, examples: exampleEvents() });
  if (!result.ok) {
    for (const e of result.errors) console.error(`${e.path ?? file}: ${e.message}`);
    console.error(`\n${file}: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; the rules were NOT accepted`);
    return 1;
  }
  for (const w of result.warnings) console.log(`${w.path ?? file}: warning: ${w.message}`);
  console.log(summarize(result.rules));
  if (!args.includes('--probe')) return 0;
  console.log('');
  const deps = { settings: loadSettings(), logger: createLogger({ level: 'silent' }), clock: systemClock, store: offlineStore() };
  const failed = await probeDestinations(result.rules, destinationKinds, deps, (line) => console.log(line));
  return failed > 0 ? 1 : 0;
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
  return lines.join('\n');
}

function fmt(ms: number): string {
  for (const [unit, size] of [['d', 86400_000], ['h', 3600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
