/**
 * The benchmark set of issues 7 and 10: `npm run bench` (full, about 5 minutes) or
 * `npm run bench -- --quick` (about 2-3 minutes). One phase: `--only drain` (or a list:
 * `--only sustained,idle`). Prints one table and writes bench/RESULTS.md (`--out` elsewhere).
 * Phases: sustained, intake, drain, idle, mirror. Every server runs on 127.0.0.1 and is stopped by PID.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureTools } from './lib/apt.js';
import { killAll, killChildrenOnExit } from './lib/children.js';
import { checkPostgres } from './lib/engines.js';
import { describeMachine } from './lib/machine.js';
import { resultsMarkdown, table } from './lib/report.js';
import { progress } from './lib/stats.js';
import type { PhaseResult, Profile } from './lib/types.js';
import { drainPhase } from './phases/drain.js';
import { idlePhase } from './phases/idle.js';
import { intakePhase } from './phases/intake.js';
import { mirrorPhase } from './phases/mirror.js';
import { sustainedPhase } from './phases/sustained.js';

const PHASES = { sustained: sustainedPhase, intake: intakePhase, drain: drainPhase, idle: idlePhase, mirror: mirrorPhase } as const;
type PhaseName = keyof typeof PHASES;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    out: { type: 'string', default: 'bench/RESULTS.md' },
    'log-level': { type: 'string', default: 'warn' },
    'destination-concurrency': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`npm run bench [-- --quick] [--only ${Object.keys(PHASES).join(',')}] [--engines sqlite,postgres] [--out bench/RESULTS.md] [--log-level warn] [--destination-concurrency N]`);
  process.exit(0);
}

const only = (values.only ?? Object.keys(PHASES).join(',')).split(',').map((s) => s.trim()) as PhaseName[];
for (const name of only) if (!(name in PHASES)) throw new Error(`--only: unknown phase "${name}" (phases: ${Object.keys(PHASES).join(', ')})`);
const engines = values.engines.split(',').map((s) => s.trim());
for (const e of engines) if (e !== 'sqlite' && e !== 'postgres') throw new Error(`--engines: unknown engine "${e}"`);

const profile: Profile = values.quick
  ? { quick: true, connections: 50, sustainedS: 10, intakeS: 8, drainNs: [1000, 5000], idleCount: 50, mirrorGiB: 0.25, mirrorRuns: 1, mirrorMemoryGiB: null, engines: engines as Profile['engines'], logLevel: values['log-level'], destinationConcurrency: null }
  : { quick: false, connections: 50, sustainedS: 60, intakeS: 30, drainNs: [1000, 10_000, 100_000], idleCount: 300, mirrorGiB: 1, mirrorRuns: 5, mirrorMemoryGiB: 2, engines: engines as Profile['engines'], logLevel: values['log-level'], destinationConcurrency: null };
if (values['destination-concurrency']) profile.destinationConcurrency = Number(values['destination-concurrency']);

killChildrenOnExit();
const started = performance.now();
const machine = describeMachine();
progress(`bench ${profile.quick ? 'quick' : 'full'}: ${only.join(', ')}; load average ${machine.loadAtStart}`);
ensureTools();
if (only.includes('drain') && engines.includes('postgres')) await checkPostgres();

const results: PhaseResult[] = [];
const failures: string[] = [];
try {
  for (const name of only) {
    const t = performance.now();
    try {
      results.push(await PHASES[name](profile));
      progress(`${name} done in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    } catch (err) {
      const msg = `${name}: the phase failed: ${(err as Error).stack ?? String(err)}`;
      failures.push(msg);
      console.error(msg);
    }
  }
} finally {
  killAll();
}

const command = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
writeFileSync(values.out, resultsMarkdown(machine, profile, results, failures, command));
console.log('\n' + table(results.flatMap((r) => r.rows)).join('\n'));
const problems = [...failures, ...results.flatMap((r) => r.problems)];
if (problems.length) console.log(`\n${problems.length} problem(s) seen (see ${values.out}):\n${problems.slice(0, 30).map((p) => `- ${p}`).join('\n')}`);
console.log(`\nwritten ${values.out} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(failures.length ? 1 : 0);
