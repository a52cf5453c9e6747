import { ALERT_TEMPLATE, fill, RECORDING_TEMPLATE } from '../lib/bodies.js';
import type { Receiver } from '../lib/receiver.js';
import { relayProblems } from '../lib/relay.js';
import { withAlertmanager, withRelayToReceiver } from '../lib/setups.js';
import { quantile, sleep, progress } from '../lib/stats.js';
import type { PhaseResult, Profile } from '../lib/types.js';

interface Timings {
  ack: number[];
  e2e: number[];
  failures: number;
}

/** `count` sequential POSTs, each awaited until the receiver has it (at most 5 s) before the next. */
async function sequential(url: string, template: string, count: number, recv: Receiver): Promise<Timings> {
  const t: Timings = { ack: [], e2e: [], failures: 0 };
  for (let i = 1; i <= count; i++) {
    const body = fill(template, 1_000_000 + i);
    const sent = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    const acked = performance.now();
    if (res.status !== 200) {
      t.failures++;
      continue;
    }
    const arrived = await recv.waitForKey(String(1_000_000 + i), 5000);
    if (arrived === null) {
      t.failures++;
      continue;
    }
    t.ack.push(acked - sent);
    t.e2e.push(arrived - sent);
  }
  return t;
}

const summary = (label: string, t: Timings): string =>
  `- ${label}: ${t.ack.length} ok, ${t.failures} failed; ack p50 ${quantile(t.ack, 0.5).toFixed(2)} ms, p99 ${quantile(t.ack, 0.99).toFixed(2)} ms; POST -> receiver p50 ${quantile(t.e2e, 0.5).toFixed(2)} ms, p90 ${quantile(t.e2e, 0.9).toFixed(2)} ms, p99 ${quantile(t.e2e, 0.99).toFixed(2)} ms, max ${Math.max(...t.e2e).toFixed(1)} ms`;

/** One event at a time on an idle relay (SQLite, worker on) and on an idle Alertmanager. */
export async function idlePhase(p: Profile): Promise<PhaseResult> {
  const problems: string[] = [];
  const raw: string[] = [`${p.idleCount} sequential POSTs to each, one at a time (the next once the receiver has the previous one).`];

  const amT = await withAlertmanager(async (am, amRecv) => {
    progress(`idle: Alertmanager, ${p.idleCount} sequential alerts`);
    await sleep(300);
    const timed = await sequential(am.alertsUrl, ALERT_TEMPLATE, p.idleCount, amRecv);
    raw.push(summary('Alertmanager (POST alert -> webhook)', timed));
    return timed;
  });

  const t = await withRelayToReceiver(p, async (relay, recv) => {
    progress(`idle: enx-relay, ${p.idleCount} sequential events`);
    await sleep(300);
    const timed = await sequential(`${relay.url}/webhooks/enablex`, RECORDING_TEMPLATE, p.idleCount, recv);
    raw.push(summary('enx-relay (POST -> receiver)', timed));
    if (timed.failures) problems.push(`idle: ${timed.failures} of ${p.idleCount} events not answered 200 or not delivered within 5 s`);
    if (recv.repeats) problems.push(`idle: ${recv.repeats} deliveries received twice`);
    problems.push(...relayProblems(relay).slice(0, 20).map((l) => `idle: relay logged ${l}`));
    return timed;
  });
  if (amT.failures) problems.push(`idle: Alertmanager: ${amT.failures} of ${p.idleCount} alerts not answered or not sent within 5 s`);

  const e2e = quantile(t.e2e, 0.5);
  const amE2e = quantile(amT.e2e, 0.5);
  const ack = quantile(t.ack, 0.5);
  return {
    phase: 'idle',
    raw,
    problems,
    rows: [
      { figure: 'one event, idle: POST -> receiver p50, ms', relay: e2e.toFixed(2), baseline: `${amE2e.toFixed(2)} (Alertmanager)`, ratio: (e2e / amE2e).toFixed(2), target: '<= 2.0', met: e2e <= 2 * amE2e },
      { figure: 'one event, idle: ack p50, ms', relay: ack.toFixed(2), baseline: `${quantile(amT.ack, 0.5).toFixed(2)} (Alertmanager)`, ratio: (ack / quantile(amT.ack, 0.5)).toFixed(2), target: '<= 2 ms', met: ack <= 2 },
    ],
  };
}
