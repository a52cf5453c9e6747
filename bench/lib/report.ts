import type { Machine } from './machine.js';
import type { PhaseResult, Profile, Row } from './types.js';

const cell = (s: string): string => s.replaceAll('|', '\\|');
const verdict = (r: Row): string => (r.met === null ? 'n/a (quick)' : r.met ? 'met' : 'NOT met');

export function table(rows: Row[]): string[] {
  return [
    '| figure | enx-relay | baseline | ratio | target | met |',
    '|---|---:|---:|---:|---|---|',
    ...rows.map((r) => `| ${cell(r.figure)} | ${cell(r.relay)} | ${cell(r.baseline)} | ${r.ratio} | ${cell(r.target)} | ${verdict(r)} |`),
  ];
}

/** bench/RESULTS.md: the machine, the table, each phase's raw figures, and every problem seen. */
export function resultsMarkdown(m: Machine, p: Profile, results: PhaseResult[], failures: string[], command: string): string {
  const rows = results.flatMap((r) => r.rows);
  const problems = results.flatMap((r) => r.problems);
  return [
    '# enx-relay benchmarks (issues 7 and 10)',
    '',
    `Command: \`${command}\`${p.quick ? ' (**quick mode**: short loads and small N, for development; its figures are not the targets)' : ''}`,
    '',
    `- date: ${m.date}`,
    `- uname -a: \`${m.uname}\``,
    `- CPU: ${m.cpu}, ${m.cores} cores, ${m.memGb} GB RAM`,
    `- node ${m.node}; ${m.wrk}; ${m.alertmanager}; ${m.postgres}`,
    `- load average at start: ${m.loadAtStart}`,
    `- profile: ${p.connections} connections, sustained ${p.sustainedS} s, intake ${p.intakeS} s, drain N = ${p.drainNs.join(', ')} on ${p.engines.join(' and ')}, ${p.idleCount} sequential events, mirror ${p.mirrorRuns} x ${p.mirrorGiB} GiB${p.mirrorMemoryGiB ? ` and ${p.mirrorMemoryGiB} GiB for memory` : ''}; relay log level ${p.logLevel}; receiver destination concurrency ${p.destinationConcurrency ?? 'default (64 for http)'}`,
    '',
    '## Summary',
    '',
    ...table(rows),
    '',
    ...results.flatMap((r) => [`## ${r.phase}`, '', ...r.raw, '']),
    '## Problems seen',
    '',
    ...(problems.length || failures.length ? [...failures, ...problems].map((x) => `- ${x}`) : ['None: no failed request, no lost or repeated delivery, no relay warning.']),
    '',
  ].join('\n');
}
