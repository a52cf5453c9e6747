import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Context } from 'koa';
import { RelayError } from '../errors.js';
import { systemClock, type Clock } from '../domain/clock.js';
import type { ClaimedDelivery } from '../domain/delivery.js';
import { KNOWN_TYPES } from '../domain/event.js';
import type { Settled } from '../delivery/execute-delivery.js';
import { DELIVERY_STATUSES } from '../domain/delivery.js';
import type { DestinationBacklog, Store } from '../store/store.js';

/**
 * The relay's Prometheus metrics, one registry per relay (tests run several in one process).
 * Failure reasons are the fixed FailureReason set, so label cardinality stays bounded.
 */
export class RelayMetrics {
  readonly registry = new Registry();
  private readonly received = new Counter({
    name: 'enx_relay_events_received_total',
    help: 'Webhook bodies received, by result: accepted, duplicate, or the error code',
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly attempts = new Counter({
    name: 'enx_relay_delivery_attempts_total',
    help: 'Delivery attempts by destination, outcome (success, retry, permanent) and failure reason',
    labelNames: ['destination', 'outcome', 'reason'],
    registers: [this.registry],
  });
  private readonly finished = new Counter({
    name: 'enx_relay_deliveries_finished_total',
    help: 'Deliveries that reached an end state, by destination and status (delivered, dead)',
    labelNames: ['destination', 'status'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'enx_relay_delivery_attempt_seconds',
    help: 'How long one delivery attempt took',
    labelNames: ['destination'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly byType = new Counter({
    name: 'enx_relay_events_by_type_total',
    help: 'Events accepted and stored (not duplicates), by EnableX type: the documented ones, or other',
    labelNames: ['type'],
    registers: [this.registry],
  });
  private readonly intake = new Histogram({
    name: 'enx_relay_intake_seconds',
    help: 'From a webhook request to its answer (the 200 waits for the durable commit), by result',
    labelNames: ['result'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'enx_relay_delivery_latency_seconds',
    help: 'From receipt of the event to its delivery, by destination (retries included)',
    labelNames: ['destination'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600],
    registers: [this.registry],
  });
  private readonly rulesReloads = new Counter({
    name: 'enx_relay_rules_reloads_total',
    help: 'Rules file reloads, by result (applied, refused)',
    labelNames: ['result'],
    registers: [this.registry],
  });

  private readonly failing = new Gauge({
    name: 'enx_relay_destination_failing',
    help: 'Whether each destination in the rules is failing (1) or not (0), as the health watch last found (relay.destination.failing)',
    labelNames: ['destination'],
    registers: [this.registry],
  });

  constructor(
    store: Store,
    private readonly clock: Clock = systemClock,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'enx_relay_' });
    // One read of the store's counters per scrape, shared by the gauges below (a few rows: the
    // store keeps them per destination and status, so a scrape never counts deliveries).
    const backlog = sharedRead(() => store.backlog());
    const collect = (fill: (rows: DestinationBacklog[], now: number) => void) =>
      async function (this: Gauge): Promise<void> {
        try {
          const rows = await backlog();
          this.reset();
          fill(rows, clock.now().getTime());
        } catch {
          // The store is down: /readyz says so; keep the last values rather than failing the scrape.
        }
      };
    const deliveries = new Gauge({
      name: 'enx_relay_deliveries',
      help: 'Deliveries in the store by status (read at scrape time; pending + delivering is the backlog)',
      labelNames: ['status'],
      registers: [this.registry],
      collect: collect((rows) => {
        for (const status of DELIVERY_STATUSES) deliveries.set({ status }, rows.reduce((n, r) => n + r.counts[status], 0));
      }),
    });
    const perDestination = new Gauge({
      name: 'enx_relay_destination_deliveries',
      help: 'Deliveries in the store by destination and status (status="dead": its dead letters)',
      labelNames: ['destination', 'status'],
      registers: [this.registry],
      collect: collect((rows) => {
        for (const r of rows) for (const status of DELIVERY_STATUSES) perDestination.set({ destination: r.destination, status }, r.counts[status]);
      }),
    });
    const oldest = new Gauge({
      name: 'enx_relay_oldest_open_delivery_age_seconds',
      help: 'Age of the oldest pending or delivering delivery per destination (0: none waiting)',
      labelNames: ['destination'],
      registers: [this.registry],
      collect: collect((rows, now) => {
        for (const r of rows) oldest.set({ destination: r.destination }, r.oldestOpenAt ? Math.max(0, (now - Date.parse(r.oldestOpenAt)) / 1000) : 0);
      }),
    });
  }

  eventReceived(result: string): void {
    this.received.inc({ result });
  }

  /** `type` as EnableX sent it: any value outside the documented four counts as `other`. */
  eventStored(type: string): void {
    this.byType.inc({ type: (KNOWN_TYPES as readonly string[]).includes(type) ? type : 'other' });
  }

  intakeAnswered(result: string, seconds: number): void {
    this.intake.observe({ result }, seconds);
  }

  attemptSettled(d: ClaimedDelivery, s: Settled): void {
    const reason = s.outcome.kind === 'success' ? '' : s.outcome.reason;
    this.attempts.inc({ destination: d.destination, outcome: s.outcome.kind, reason });
    if (s.next !== 'deferred') this.duration.observe({ destination: d.destination }, s.durationMs / 1000);
    if (s.next === 'delivered' || s.next === 'dead') this.finished.inc({ destination: d.destination, status: s.next });
    if (s.next === 'delivered') this.latency.observe({ destination: d.destination }, Math.max(0, this.clock.now().getTime() - Date.parse(d.event.receivedAt)) / 1000);
  }

  /** The health watch's last pass: every destination in the rules, so one that left them goes. */
  destinationStates(states: { destination: string; failing: boolean }[]): void {
    this.failing.reset();
    for (const s of states) this.failing.set({ destination: s.destination }, s.failing ? 1 : 0);
  }

  rulesReloaded(result: "applied" | "refused"): void {
    this.rulesReloads.inc({ result });
  }

  handler() {
    return async (ctx: Context): Promise<void> => {
      ctx.set('Content-Type', this.registry.contentType);
      ctx.body = await this.registry.metrics();
    };
  }
}

/** One call in flight serves every caller that asks meanwhile (the gauges of one scrape). */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | null = null;
  return () =>
    (current ??= read().finally(() => {
      current = null;
    }));
}

/**
 * Counts every webhook answer by result, including refused credentials, and times it. Results
 * are `accepted`, `duplicate` or an error code: a fixed set, whatever the request held.
 */
export function countIntake(metrics: RelayMetrics | undefined) {
  return async (ctx: Context, next: () => Promise<unknown>): Promise<void> => {
    if (!metrics) return void (await next());
    const started = process.hrtime.bigint();
    const answered = (result: string): void => {
      metrics.eventReceived(result);
      metrics.intakeAnswered(result, Number(process.hrtime.bigint() - started) / 1e9);
    };
    try {
      await next();
    } catch (err) {
      answered(err instanceof RelayError ? err.code : 'internal');
      throw err;
    }
    const duplicate = (ctx.body as { duplicate?: boolean } | undefined)?.duplicate === true;
    answered(duplicate ? 'duplicate' : 'accepted');
    if (!duplicate && typeof ctx.state['eventType'] === 'string') metrics.eventStored(ctx.state['eventType']);
  };
}
