import { freshDb, type Engine } from '../lib/engines.js';
import { eventKeys, startReceiver } from '../lib/receiver.js';
import { relayProblems, startBenchRelay, writeRules } from '../lib/relay.js';
import { sampleRss } from '../lib/rss.js';
import { seedBacklog } from '../lib/seed.js';
import { fmt, progress, sleep } from '../lib/stats.js';
import type { PhaseResult, Profile, Row } from '../lib/types.js';

const TARGET_RATE: Record<Engine, number> = { sqlite: 3000, postgres: 1500 };
const FULL_N = 100_000;

interface DrainRun {
  engine: Engine;
  n: number;
  seedMs: number;
  readyMs: number;
  /** From the first delivery received to the last. */
  drainMs: number;
  /** From spawn to the last delivery. */
  totalMs: number;
  rate: number;
  rssPeakMb: number;
  rssHwmMb: number;
  delivered: number;
  repeats: number;
  complete: boolean;
}

/** Seed `n` pending deliveries with the worker off (store API), start the relay, time the drain. */
async function drainOnce(engine: Engine, n: number, p: Profile, problems: string[]): Promise<DrainRun> {
  const db = await freshDb(engine);
  const recv = await startReceiver(eventKeys);
  try {
    progress(`drain ${engine} ${fmt(n)}: seeding ${fmt(n)} pending deliveries`);
    const { ms: seedMs } = await seedBacklog(db.settings, n);
    progress(`drain ${engine} ${fmt(n)}: seeded in ${fmt(seedMs / 1000, 1)} s; starting the relay`);
    const spawned = performance.now();
    const relay = await startBenchRelay({ db: db.relayDb, rulesPath: writeRules(db.dir, recv.url, p.destinationConcurrency), worker: true, logLevel: p.logLevel });
    const rss = sampleRss(relay.child.pid);
    try {
      const timeoutMs = Math.max(60_000, n * 3); // 333/s at the least
      const ticker = setInterval(() => progress(`drain ${engine} ${fmt(n)}: ${fmt(recv.distinct)} delivered`), 10_000);
      const complete = await recv.waitForDistinct(n, timeoutMs).finally(() => clearInterval(ticker));
      const mem = rss.stop();
      let first = Infinity;
      let last = -Infinity;
      for (const t of recv.arrivals.values()) {
        if (t < first) first = t;
        if (t > last) last = t;
      }
      const drainMs = last - first;
      const run: DrainRun = { engine, n, seedMs, readyMs: relay.readyMs, drainMs, totalMs: last - spawned, rate: (recv.distinct / drainMs) * 1000, rssPeakMb: mem.peakMb, rssHwmMb: mem.hwmMb, delivered: recv.distinct, repeats: recv.repeats, complete };
      progress(`drain ${engine} ${fmt(n)}: ${complete ? 'all' : 'NOT all'} delivered (${fmt(recv.distinct)}), ${fmt(run.rate)}/s, ready in ${fmt(run.readyMs)} ms, RSS peak ${fmt(mem.peakMb)} MB`);
      if (!complete) problems.push(`drain ${engine} ${n}: only ${recv.distinct} of ${n} delivered within ${timeoutMs / 1000} s`);
      if (recv.repeats) problems.push(`drain ${engine} ${n}: ${recv.repeats} deliveries received twice`);
      if (recv.unreadable) problems.push(`drain ${engine} ${n}: ${recv.unreadable} deliveries without a conf_num`);
      problems.push(...relayProblems(relay).slice(0, 20).map((l) => `drain ${engine} ${n}: relay logged ${l}`));
      return run;
    } finally {
      rss.stop();
      await relay.stop();
    }
  } finally {
    await recv.close();
    await db.drop();
  }
}

/** The same relay on an empty store: its start -> ready and its RSS 1 s after, the baselines. */
async function emptyStart(engine: Engine, p: Profile): Promise<{ readyMs: number; rssMb: number }> {
  const db = await freshDb(engine);
  try {
    await seedBacklog(db.settings, 0); // migrated, as the seeded runs are
    const relay = await startBenchRelay({ db: db.relayDb, rulesPath: writeRules(db.dir, 'http://127.0.0.1:9/', p.destinationConcurrency), worker: true, logLevel: p.logLevel });
    try {
      await sleep(1000);
      const rss = sampleRss(relay.child.pid).stop();
      return { readyMs: relay.readyMs, rssMb: rss.peakMb };
    } finally {
      await relay.stop();
    }
  } finally {
    await db.drop();
  }
}

export async function drainPhase(p: Profile): Promise<PhaseResult> {
  const problems: string[] = [];
  const runs: DrainRun[] = [];
  const empty = new Map<Engine, { readyMs: number; rssMb: number }>();
  for (const engine of p.engines) {
    progress(`drain ${engine}: the relay on an empty store (start and RSS baselines)`);
    empty.set(engine, await emptyStart(engine, p));
    for (const n of p.drainNs) runs.push(await drainOnce(engine, n, p, problems));
  }

  const raw = [
    'Backlog seeded through the store API (worker off), then `node dist/main.js` with the worker on; the receiver answers at once and counts distinct conf_num.',
    'deliveries/s is N over first -> last delivery; at small N that span includes the worker warming up (JIT, first connections), which favours the larger N in the 100k / 1k ratio. RSS: VmRSS sampled every 50 ms from spawn to the last delivery, and the kernel\'s VmHWM.',
    '',
    '| engine | N | seed s | spawn -> ready ms | first -> last delivery s | spawn -> last s | deliveries/s | RSS peak MB (sampled / VmHWM) | delivered | repeats |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...p.engines.map((e) => `| ${e} | 0 (empty) | - | ${fmt(empty.get(e)!.readyMs)} | - | - | - | ${fmt(empty.get(e)!.rssMb)} (1 s after ready, idle) | - | - |`),
    ...runs.map((r) => `| ${r.engine} | ${fmt(r.n)} | ${fmt(r.seedMs / 1000, 1)} | ${fmt(r.readyMs)} | ${fmt(r.drainMs / 1000, 2)} | ${fmt(r.totalMs / 1000, 2)} | ${fmt(r.rate)} | ${fmt(r.rssPeakMb)} / ${fmt(r.rssHwmMb)} | ${fmt(r.delivered)} | ${r.repeats} |`),
  ];

  const rows: Row[] = [];
  for (const engine of p.engines) {
    const mine = runs.filter((r) => r.engine === engine);
    const small = mine[0]!;
    const big = mine[mine.length - 1]!;
    // A quick run's largest N is not 100k: its figures are shown, not judged.
    const judged = big.n >= FULL_N;
    const label = `${fmt(big.n)}`;
    rows.push(
      { figure: `drain ${engine} ${label} pending, deliveries/s`, relay: fmt(big.rate), baseline: `${fmt(TARGET_RATE[engine])} (target)`, ratio: (big.rate / TARGET_RATE[engine]).toFixed(2), target: `>= ${fmt(TARGET_RATE[engine])}/s`, met: judged ? big.complete && big.rate >= TARGET_RATE[engine] : null },
      { figure: `drain ${engine}: rate at ${label} / at ${fmt(small.n)}`, relay: fmt(big.rate), baseline: `${fmt(small.rate)} (at ${fmt(small.n)})`, ratio: (big.rate / small.rate).toFixed(2), target: '>= 0.8', met: judged ? big.rate >= 0.8 * small.rate : null },
      { figure: `RSS peak, ${engine}, ${label} drain, MB`, relay: fmt(Math.max(big.rssPeakMb, big.rssHwmMb)), baseline: `${fmt(empty.get(engine)!.rssMb)} (idle, empty store)`, ratio: (Math.max(big.rssPeakMb, big.rssHwmMb) / empty.get(engine)!.rssMb).toFixed(2), target: '< 200 MB', met: judged ? Math.max(big.rssPeakMb, big.rssHwmMb) < 200 : null },
      { figure: `start -> ready, ${engine}, ${label} stored, ms`, relay: fmt(big.readyMs), baseline: `${fmt(empty.get(engine)!.readyMs)} (empty store)`, ratio: (big.readyMs / empty.get(engine)!.readyMs).toFixed(2), target: '< 1 s', met: judged ? big.readyMs < 1000 : null },
    );
  }
  return { phase: 'drain', rows, raw, problems };
}
