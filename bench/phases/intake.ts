import { RECORDING_TEMPLATE } from '../lib/bodies.js';
import { freshDb } from '../lib/engines.js';
import { startKoaBaseline } from '../lib/koa-server.js';
import { relayProblems, startBenchRelay, writeRules } from '../lib/relay.js';
import { fmt, progress } from '../lib/stats.js';
import type { PhaseResult, Profile } from '../lib/types.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';

const line = (label: string, w: WrkResult): string =>
  `- ${label}: ${w.requests} responses in ${w.durationS.toFixed(1)} s, ${fmt(w.okPerSecond)} ok/s, non-2xx ${w.non2xx}, socket errors ${w.socketErrors}, p50 ${w.p50Ms.toFixed(2)} ms, p99 ${w.p99Ms.toFixed(2)} ms, max ${w.maxMs.toFixed(1)} ms`;

/**
 * Intake alone: the relay with RELAY_WORKER=false (SQLite, every event stored durably, nothing
 * sent) against a minimal Koa + koa-bodyparser server that parses the JSON and answers 200.
 */
export async function intakePhase(p: Profile): Promise<PhaseResult> {
  const problems: string[] = [];
  const raw: string[] = [`Load: wrk, ${p.connections} connections, ${p.intakeS} s each, distinct bodies; the relay on SQLite with RELAY_WORKER=false.`];

  const koa = await startKoaBaseline();
  let base: WrkResult;
  try {
    progress(`intake: Koa + koa-bodyparser baseline, ${p.intakeS} s`);
    base = await runWrk({ url: `${koa.url}/webhooks/enablex`, template: RECORDING_TEMPLATE, durationS: p.intakeS, connections: p.connections });
    raw.push(line('Koa baseline', base));
  } finally {
    await koa.stop();
  }

  const db = await freshDb('sqlite');
  // The receiver is never called: the worker is off.
  const relay = await startBenchRelay({ db: db.relayDb, rulesPath: writeRules(db.dir, 'http://127.0.0.1:9/', p.destinationConcurrency), worker: false, logLevel: p.logLevel });
  let w: WrkResult;
  try {
    progress(`intake: enx-relay, worker off, ${p.intakeS} s`);
    w = await runWrk({ url: `${relay.url}/webhooks/enablex`, template: RECORDING_TEMPLATE, durationS: p.intakeS, connections: p.connections });
    const accepted = await relay.metric('enx_relay_events_received_total', 'result="accepted"');
    raw.push(line('enx-relay intake (worker off)', w));
    raw.push(`- enx-relay: ${accepted} events accepted (metrics) for ${w.requests - w.non2xx} 200s seen by wrk (requests in flight when wrk stops are stored but not counted by wrk)`);
    if (accepted < w.requests - w.non2xx) problems.push(`intake: wrk got ${w.requests - w.non2xx} 200s but the relay counted ${accepted} accepted`);
    if (w.non2xx || w.socketErrors) problems.push(`intake: ${w.non2xx} non-2xx answers, ${w.socketErrors} socket errors from the relay`);
    problems.push(...relayProblems(relay).slice(0, 20).map((l) => `intake: relay logged ${l}`));
  } finally {
    await relay.stop();
    await db.drop();
  }

  const ratio = w.okPerSecond / base.okPerSecond;
  return {
    phase: 'intake',
    raw,
    problems,
    rows: [
      { figure: `intake alone (worker off, ${p.intakeS} s), req/s`, relay: fmt(w.okPerSecond), baseline: `${fmt(base.okPerSecond)} (Koa + bodyparser)`, ratio: ratio.toFixed(2), target: '>= 0.5', met: ratio >= 0.5 },
      { figure: 'intake alone p99, ms', relay: w.p99Ms.toFixed(1), baseline: `${base.p99Ms.toFixed(1)} (Koa)`, ratio: (w.p99Ms / base.p99Ms).toFixed(2), target: '<= 20 ms', met: w.p99Ms <= 20 },
    ],
  };
}
