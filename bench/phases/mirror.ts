import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onAbort } from '../lib/children.js';
import { freshDb } from '../lib/engines.js';
import { curlDownload, fileSha256, PORTAL_PASSWORD, PORTAL_USER, startMirrorPortal, type MirrorPortal } from '../lib/mirror-portal.js';
import { relayProblems, startBenchRelay, type BenchRelay } from '../lib/relay.js';
import { processCpuMs, sampleRss } from '../lib/rss.js';
import { fill, RECORDING_TEMPLATE } from '../lib/bodies.js';
import { fmt, progress, quantile } from '../lib/stats.js';
import type { PhaseResult, Profile } from '../lib/types.js';

const GiB = 1024 ** 3;
const TOKEN = 'bench-admin-token';

interface Copy {
  ms: number;
  cpuMs: number;
  peakRssMb: number;
}

/** One `recording` event naming `url`; resolves with the mirror delivery's attempt, as the relay timed it. */
async function mirrorOnce(relay: BenchRelay, url: string, conf: string): Promise<Copy> {
  const pid = relay.child.pid;
  const cpuBefore = processCpuMs(pid);
  const rss = sampleRss(pid, 100);
  try {
    const body = { type: 'recording', trans_date: Math.floor(Date.now() / 1000), app_id: 'bench', room_id: 'room', conf_num: conf, recording: [url] };
    const res = await fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`the relay answered ${res.status} to the event`);
    const { id } = (await res.json()) as { id: string };
    const deadline = Date.now() + 300_000;
    for (;;) {
      const r = await fetch(`${relay.url}/admin/events/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const { deliveries } = (await r.json()) as { deliveries: { status: string; lastError: string | null; attemptLog: { durationMs: number }[] }[] };
      const d = deliveries[0];
      if (d?.status === 'delivered') return { ms: d.attemptLog.at(-1)!.durationMs, cpuMs: processCpuMs(pid) - cpuBefore, peakRssMb: rss.stop().peakMb };
      if (d && (d.status === 'dead' || d.lastError)) throw new Error(`the mirror failed: ${d.lastError}`);
      if (Date.now() > deadline) throw new Error('the mirror took more than 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    rss.stop();
  }
}

/**
 * Events posted one after another (each answered before the next) until `until` settles or
 * `max` were sent: their ack times, in ms. The template's app_id is not the mirror route's, so
 * they are stored and not routed.
 */
async function acksUntil(relay: BenchRelay, until: Promise<unknown> | null, max: number, from: number): Promise<number[]> {
  let done = until === null;
  void until?.finally(() => (done = true));
  const acks: number[] = [];
  for (let i = 0; i < max && (until === null || !done); i++) {
    const t = performance.now();
    const res = await fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fill(RECORDING_TEMPLATE, from + i) });
    await res.arrayBuffer();
    if (res.status === 200) acks.push(performance.now() - t);
  }
  return acks;
}

const mbps = (bytes: number, ms: number): number => bytes / 1024 / 1024 / (ms / 1000);

/**
 * Mirroring a large file (issue 10): a loopback portal serves it; each run downloads it once with
 * `curl -o` and once through the built relay (a `recording` event routed to a `mirror` with a
 * `file://` target), into the same directory. The relay's figure is its attempt: fetch, SHA-256,
 * write, fsync, rename, bookkeeping. Every copy is checked (size and SHA-256). Then one larger
 * file for memory: the relay's RSS while it mirrors.
 */
export async function mirrorPhase(p: Profile): Promise<PhaseResult> {
  const problems: string[] = [];
  const dirBase = process.env['BENCH_MIRROR_DIR'] ?? (existsSync('/dev/shm') ? '/dev/shm' : '/tmp');
  const out = mkdtempSync(join(dirBase, 'enx-bench-mirror-'));
  const unregister = onAbort(() => rmSync(out, { recursive: true, force: true }));
  const db = await freshDb('sqlite');
  let portal: MirrorPortal | null = null;
  let relay: BenchRelay | null = null;
  const rows: { curl: number; relay: number; curlCpu: number | null; relayCpu: number; rss: number }[] = [];
  let memory: Copy | null = null;
  let idleAcks: number[] = [];
  let busyAcks: number[] = [];
  const raw: string[] = [];
  try {
    portal = await startMirrorPortal(db.dir);
    const rules = join(db.dir, 'rules.yaml');
    writeFileSync(rules, `version: 1\ndestinations:\n  vault:\n    mirror:\n      to: file://${join(out, 'relay')}\n      source_auth: { username: ${PORTAL_USER}, password: ${PORTAL_PASSWORD} }\nroutes:\n  - name: keep\n    when: { type: recording, app_id: bench }\n    to: vault\n`);
    relay = await startBenchRelay({ db: db.relayDb, rulesPath: rules, worker: true, logLevel: p.logLevel, env: { RELAY_ADMIN_TOKEN: TOKEN } });
    const idleMb = sampleRss(relay.child.pid).stop().peakMb;
    const bytes = p.mirrorGiB * GiB;
    const copyOf = (conf: string): string => join(out, 'relay', 'bench', 'room', conf, `${bytes}.mkv`);
    // Unmeasured, first: on a fresh VM the first writes to memory cost the host's page faults,
    // and whichever went first would pay them (curl, in an earlier version of this phase).
    progress(`mirror: warm-up, ${p.mirrorGiB} GiB each, not counted`);
    await curlDownload(portal.url(bytes), join(out, 'curl.bin'), bytes);
    rmSync(join(out, 'curl.bin'));
    await mirrorOnce(relay, portal.url(bytes), 'warm-up');
    rmSync(copyOf('warm-up'));
    for (let i = 0; i < p.mirrorRuns; i++) {
      // Each goes first every other run.
      const curlFirst = i % 2 === 0;
      progress(`mirror: run ${i + 1} of ${p.mirrorRuns}, ${p.mirrorGiB} GiB: ${curlFirst ? 'curl -o, then the relay' : 'the relay, then curl -o'}`);
      const viaCurl = async (): Promise<{ ms: number; cpuMs: number | null }> => {
        const c = await curlDownload(portal!.url(bytes), join(out, 'curl.bin'), bytes);
        rmSync(join(out, 'curl.bin'));
        return c;
      };
      const viaRelay = async (): Promise<Copy> => {
        const m = await mirrorOnce(relay!, portal!.url(bytes), String(i));
        const copy = copyOf(String(i));
        if (statSync(copy).size !== bytes || (await fileSha256(copy)) !== portal!.sha256(bytes)) problems.push(`mirror: run ${i + 1}: the copy is not the file`);
        rmSync(copy);
        return m;
      };
      let c: { ms: number; cpuMs: number | null };
      let m: Copy;
      if (curlFirst) {
        c = await viaCurl();
        m = await viaRelay();
      } else {
        m = await viaRelay();
        c = await viaCurl();
      }
      const gib = bytes / GiB;
      rows.push({ curl: mbps(bytes, c.ms), relay: mbps(bytes, m.ms), curlCpu: c.cpuMs === null ? null : c.cpuMs / gib, relayCpu: m.cpuMs / gib, rss: m.peakRssMb });
      raw.push(
        `- run ${i + 1} (${curlFirst ? 'curl first' : 'relay first'}): curl -o ${fmt(mbps(bytes, c.ms))} MB/s (${c.ms.toFixed(0)} ms), relay ${fmt(mbps(bytes, m.ms))} MB/s (${m.ms} ms): ${((100 * c.ms) / m.ms).toFixed(0)}%; CPU per GiB: curl ${c.cpuMs === null ? 'n/a' : fmt(c.cpuMs / gib)} ms, relay ${fmt(m.cpuMs / gib)} ms; relay peak RSS ${m.peakRssMb.toFixed(0)} MB`,
      );
    }
    if (p.mirrorMemoryGiB) {
      const big = p.mirrorMemoryGiB * GiB;
      progress(`mirror: ${p.mirrorMemoryGiB} GiB through the relay, for its memory`);
      // The intake meanwhile: one event at a time, against the same on an idle relay.
      idleAcks = await acksUntil(relay, null, 300, 1_000_000);
      const mirroring = mirrorOnce(relay, portal.url(big), 'memory');
      busyAcks = await acksUntil(relay, mirroring, 100_000, 2_000_000);
      memory = await mirroring;
      const copy = join(out, 'relay', 'bench', 'room', 'memory', `${big}.mkv`);
      if (statSync(copy).size !== big || (await fileSha256(copy)) !== portal.sha256(big)) problems.push(`mirror: the ${p.mirrorMemoryGiB} GiB copy is not the file`);
      rmSync(copy);
      raw.push(`- ${p.mirrorMemoryGiB} GiB through the relay: ${fmt(mbps(big, memory.ms))} MB/s, peak RSS ${memory.peakRssMb.toFixed(0)} MB (sampled every 100 ms)`);
      const q = (xs: number[]): string => `p50 ${quantile(xs, 0.5).toFixed(2)} ms, p99 ${quantile(xs, 0.99).toFixed(2)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
      raw.push(`- intake while it mirrored (events posted one at a time, not routed): ${busyAcks.length} acks, ${q(busyAcks)}; on the idle relay just before, ${idleAcks.length} acks, ${q(idleAcks)}`);
    }
    raw.unshift(
      `Into \`${dirBase}\`${dirBase === '/dev/shm' ? ' (tmpfs: the comparison is of the two pipelines, not of a disk; on a disk the relay also waits for its fsync, which curl -o does not do)' : ''}. A loopback portal (its own process, Basic auth, a 4 MiB random block repeated, Content-Length) serves the file to both; curl's figure is its \`time_total\`, the relay's the mirror delivery's attempt as the relay recorded it (fetch, SHA-256, size check, write, fsync, rename, directory fsync, bookkeeping). CPU: user + system, curl's from /usr/bin/time, the relay's from /proc (all its threads, the harness's status polls included). One warm-up of each first, not counted; then curl and the relay take turns going first. Relay idle RSS before the first run: ${idleMb.toFixed(0)} MB. The portal and both clients share the machine's cores.`,
    );
    problems.push(...relayProblems(relay).slice(0, 20).map((l) => `mirror: relay logged ${l}`));
  } finally {
    await relay?.stop();
    await portal?.stop();
    await db.drop();
    rmSync(out, { recursive: true, force: true });
    unregister();
  }

  const ratio = quantile(rows.map((r) => r.relay / r.curl), 0.5);
  const curlMed = quantile(rows.map((r) => r.curl), 0.5);
  const relayMed = quantile(rows.map((r) => r.relay), 0.5);
  const judged = !p.quick;
  raw.push(`- median of ${rows.length}: curl ${fmt(curlMed)} MB/s, relay ${fmt(relayMed)} MB/s; median of the runs' ratios ${(100 * ratio).toFixed(0)}%; CPU per GiB (medians): curl ${rows[0]?.curlCpu === null ? 'n/a' : fmt(quantile(rows.map((r) => r.curlCpu!), 0.5))} ms, relay ${fmt(quantile(rows.map((r) => r.relayCpu), 0.5))} ms`);
  const peak = memory?.peakRssMb ?? Math.max(...rows.map((r) => r.rss));
  return {
    phase: 'mirror',
    raw,
    problems,
    rows: [
      { figure: `mirror ${p.mirrorGiB} GiB to a directory, MB/s (median of ${rows.length})`, relay: fmt(relayMed), baseline: `${fmt(curlMed)} (curl -o)`, ratio: ratio.toFixed(2), target: '>= 0.8', met: judged ? ratio >= 0.8 : null },
      ...(busyAcks.length && idleAcks.length
        ? [{ figure: `intake ack p99 while mirroring ${p.mirrorMemoryGiB} GiB, ms`, relay: quantile(busyAcks, 0.99).toFixed(2), baseline: `${quantile(idleAcks, 0.99).toFixed(2)} (idle relay)`, ratio: (quantile(busyAcks, 0.99) / quantile(idleAcks, 0.99)).toFixed(2), target: 'none (<= 20 ms under load, issue 7)', met: judged ? quantile(busyAcks, 0.99) <= 20 : null }]
        : []),
      { figure: `RSS peak mirroring ${memory ? p.mirrorMemoryGiB : p.mirrorGiB} GiB, MB`, relay: peak.toFixed(0), baseline: '', ratio: '', target: '< 200 MB', met: judged ? peak < 200 : null },
    ],
  };
}
