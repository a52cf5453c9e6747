import { ALERT_TEMPLATE, RECORDING_TEMPLATE } from '../lib/bodies.js';
import { metricSum, relayProblems, type BenchRelay } from '../lib/relay.js';
import { withAlertmanager, withRelayToReceiver } from '../lib/setups.js';
import { fmt, progress } from '../lib/stats.js';
import type { PhaseResult, Profile } from '../lib/types.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';

const AFTER_LOAD_MS = 120_000;

const wrkLine = (label: string, w: WrkResult): string =>
  `- ${label}: ${w.requests} responses in ${w.durationS.toFixed(1)} s, ${fmt(w.okPerSecond)} ok/s, non-2xx ${w.non2xx}, socket errors ${w.socketErrors}, p50 ${w.p50Ms.toFixed(2)} ms, p99 ${w.p99Ms.toFixed(2)} ms, max ${w.maxMs.toFixed(1)} ms`;

/**
 * Sustained load: wrk, `connections` connections for `sustainedS`, each request a distinct body.
 * Baseline: Alertmanager taking one alert per POST, each sent to a webhook. Relay: SQLite, worker
 * on, every event to an instant HTTP receiver. Deliveries counted at the receiver.
 */
export async function sustainedPhase(p: Profile): Promise<PhaseResult> {
  const problems: string[] = [];
  const raw: string[] = [`Load: wrk, ${p.connections} connections, ${p.sustainedS} s, a distinct ~250-byte body per request.`];

  // Baseline: Alertmanager.
  const amW = await withAlertmanager(async (am, amRecv) => {
    progress(`sustained: Alertmanager, ${p.sustainedS} s at ${p.connections} connections`);
    const run = await runWrk({ url: am.alertsUrl, template: ALERT_TEMPLATE, durationS: p.sustainedS, connections: p.connections });
    const during = amRecv.distinct;
    const accepted = run.requests - run.non2xx;
    await amRecv.waitForDistinct(accepted, 30_000);
    raw.push(wrkLine('Alertmanager intake', run));
    raw.push(`- Alertmanager webhooks: ${during} alerts at the receiver when the load ended (${fmt(during / run.durationS)}/s), ${amRecv.distinct} within 30 s after, repeats ${amRecv.repeats}`);
    return run;
  });

  // The relay.
  const { w, during } = await withRelayToReceiver(p, async (relay, recv) => {
    progress(`sustained: enx-relay (SQLite, worker on), ${p.sustainedS} s at ${p.connections} connections`);
    const w = await runWrk({ url: `${relay.url}/webhooks/enablex`, template: RECORDING_TEMPLATE, durationS: p.sustainedS, connections: p.connections });
    const during = recv.distinct;
    // Requests in flight when wrk stops are still answered (and stored): count once the intake is
    // quiet, accepted and refused from one scrape.
    const { accepted, refused } = await settledIntake(relay);
    progress(`sustained: load over, ${during} of ${accepted} delivered; waiting for the rest (at most ${AFTER_LOAD_MS / 1000} s)`);
    const t = performance.now();
    const all = await recv.waitForDistinct(accepted, AFTER_LOAD_MS);
    const tailMs = performance.now() - t;
    raw.push(wrkLine('enx-relay intake', w));
    raw.push(`- enx-relay: ${accepted} events accepted (metrics), ${refused} refused; ${during} delivered when the load ended (${fmt(during / w.durationS)}/s); backlog then ${accepted - during}; all delivered ${all ? `${fmt(tailMs / 1000, 1)} s later` : `NOT within ${AFTER_LOAD_MS / 1000} s (${recv.distinct})`}; repeats ${recv.repeats}`);
    if (!all) problems.push(`sustained: ${accepted - recv.distinct} accepted events not delivered within ${AFTER_LOAD_MS / 1000} s after the load`);
    if (recv.repeats) problems.push(`sustained: ${recv.repeats} deliveries received twice`);
    if (w.non2xx || w.socketErrors) problems.push(`sustained: ${w.non2xx} non-2xx answers, ${w.socketErrors} socket errors from the relay`);
    if (refused) problems.push(`sustained: the relay counted ${refused} bodies not accepted`);
    if (recv.distinct > accepted) problems.push(`sustained: ${recv.distinct - accepted} more events delivered than the relay counted accepted`);
    if (recv.unreadable) problems.push(`sustained: ${recv.unreadable} deliveries without a conf_num`);
    problems.push(...relayProblems(relay).slice(0, 20).map((l) => `sustained: relay logged ${l}`));
    return { w, during };
  });

  const deliveredRate = during / w.durationS;
  const ratio = w.okPerSecond / amW.okPerSecond;
  return {
    phase: 'sustained',
    raw,
    problems,
    rows: [
      { figure: `sustained intake (${p.sustainedS} s, ${p.connections} conn), req/s`, relay: fmt(w.okPerSecond), baseline: `${fmt(amW.okPerSecond)} (Alertmanager alerts/s)`, ratio: ratio.toFixed(2), target: '>= 1.0', met: ratio >= 1 },
      { figure: 'sustained: deliveries/s during the load', relay: fmt(deliveredRate), baseline: `${fmt(w.okPerSecond)} (relay intake)`, ratio: (deliveredRate / w.okPerSecond).toFixed(2), target: '>= 0.9', met: deliveredRate >= 0.9 * w.okPerSecond },
      { figure: 'sustained intake p99, ms', relay: w.p99Ms.toFixed(1), baseline: `${amW.p99Ms.toFixed(1)} (Alertmanager)`, ratio: (w.p99Ms / amW.p99Ms).toFixed(2), target: '<= 20 ms', met: w.p99Ms <= 20 },
    ],
  };
}

/** The intake's counters once two scrapes 200 ms apart agree (at most 5 s). */
async function settledIntake(relay: BenchRelay): Promise<{ accepted: number; refused: number }> {
  let last = -1;
  for (let i = 0; i < 25; i++) {
    const text = await relay.scrape();
    const total = metricSum(text, 'enx_relay_events_received_total');
    if (total === last) {
      const accepted = metricSum(text, 'enx_relay_events_received_total', 'result="accepted"');
      return { accepted, refused: total - accepted };
    }
    last = total;
    await new Promise((r) => setTimeout(r, 200));
  }
  const text = await relay.scrape();
  const accepted = metricSum(text, 'enx_relay_events_received_total', 'result="accepted"');
  return { accepted, refused: metricSum(text, 'enx_relay_events_received_total') - accepted };
}
