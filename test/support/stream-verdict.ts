import { expect } from 'chai';
import { eventually } from './eventually.js';
import type { EventStream } from './event-stream.js';
import type { ReceivedRequest } from './scripted-receiver.js';
import type { StoredEvent, StreamStore } from './stream-store.js';

/** What became of a stream's events, by the receiver's records and the store's rows. */
export interface Verdict {
  sent: number;
  acked: number;
  /** Distinct events the receiver got. */
  delivered: number;
  /** Requests beyond one per event (at least once: a send whose result a kill cut off). */
  duplicates: number;
  /** Acked events the receiver never got. */
  lost: string[];
  /** Stored events without exactly one delivery (the rules give each one), or not delivered. */
  half: string[];
  /** Unacked events the receiver got (stored before the answer was cut off) and those it did not. */
  unackedDelivered: number;
  unackedAbsent: number;
  /** Unacked events that are stored but were not delivered, or delivered but are not stored. */
  unackedBroken: string[];
  /** Events that reached the receiver under more than one webhook-id. */
  splitIds: string[];
}

const confOf = (r: ReceivedRequest): string => (JSON.parse(r.body.toString()) as { conf_num: string }).conf_num;

export function verdict(stream: EventStream, requests: ReceivedRequest[], stored: StoredEvent[]): Verdict {
  const ids = new Map<string, Set<string>>();
  for (const r of requests) {
    const conf = confOf(r);
    if (!ids.has(conf)) ids.set(conf, new Set());
    ids.get(conf)!.add(String(r.headers['webhook-id']));
  }
  const sent = new Set(stream.sent);
  const mine = requests.filter((r) => sent.has(confOf(r)));
  const byConf = new Map(stored.map((s) => [s.conf, s]));
  const unacked = stream.unacked;
  return {
    sent: stream.sent.length,
    acked: stream.acked.size,
    delivered: [...ids.keys()].filter((c) => sent.has(c)).length,
    duplicates: mine.length - [...ids.keys()].filter((c) => sent.has(c)).length,
    lost: [...stream.acked].filter((c) => !ids.has(c)),
    half: stored.filter((s) => s.deliveries !== 1 || s.delivered !== 1).map((s) => s.conf),
    unackedDelivered: unacked.filter((c) => ids.has(c)).length,
    unackedAbsent: unacked.filter((c) => !ids.has(c)).length,
    unackedBroken: unacked.filter((c) => ids.has(c) !== byConf.has(c)),
    splitIds: [...ids].filter(([, s]) => s.size !== 1).map(([c]) => c),
  };
}

/**
 * Waits until every acked event reached the receiver and every stored event of the stream is
 * delivered (bounded by `timeoutMs`), then judges. A verdict that never settles is judged as it is.
 */
export async function settle(stream: EventStream, requests: ReceivedRequest[], store: StreamStore, prefix: string, timeoutMs = 30_000): Promise<Verdict> {
  let v: Verdict | null = null;
  try {
    await eventually(async () => {
      v = verdict(stream, requests, await store.snapshot(prefix));
      expect(v.lost.length + v.half.length + v.unackedBroken.length).to.equal(0);
    }, timeoutMs, 200);
  } catch {
    /* judged below, with what it is */
  }
  return v ?? verdict(stream, requests, await store.snapshot(prefix));
}

/** What must hold whatever the fault: nothing acked lost, nothing half written, one id per event. */
export function expectSound(v: Verdict): void {
  expect(v.lost, `acked events never delivered (${v.lost.length} of ${v.acked})`).to.deep.equal([]);
  expect(v.half, 'stored events without their delivery, or not delivered').to.deep.equal([]);
  expect(v.unackedBroken, 'unacked events half there (stored but not delivered, or delivered but not stored)').to.deep.equal([]);
  expect(v.splitIds, 'events delivered under two webhook-ids').to.deep.equal([]);
  expect(v.delivered, 'every event delivered was sent').to.equal(v.acked + v.unackedDelivered);
}

/** Rules for a streamed relay: every event to one HTTP receiver, retried quickly. */
export function sinkRules(receiverUrl: string): string {
  return `version: 1
destinations:
  sink:
    http: { url: "${receiverUrl}/in", body: original, timeout: 2s }
    concurrency: 8
routes:
  - name: all
    to: sink
retry: { schedule: [200ms, 500ms, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s] }
`;
}
