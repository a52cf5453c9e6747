import type { Clock } from '../domain/clock.js';
import type { AttemptRecord, ClaimedDelivery } from '../domain/delivery.js';
import type { SendOutcome } from '../domain/outcome.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { DestinationSet } from './destination-set.js';
import { nextAttempt } from './schedule.js';

export interface ExecuteDeps {
  store: Store;
  destinations: DestinationSet;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  /** The claim's lease: renewed while the send lasts, so no other worker takes it over. */
  leaseMs: number;
  /** Longest one send may take before it is cut off and retried (default MAX_SEND_MS). */
  maxSendMs?: number;
}

const MAX_ERROR = 500;

/**
 * Every destination bounds its own requests (HTTP 30 s a try, Slack and SMTP timeouts); this is
 * the backstop above them all, so the lease renewal has an end.
 */
export const MAX_SEND_MS = 5 * 60_000;

/** What one attempt came to: the sender's outcome, and where the delivery stands now. */
export interface Settled {
  outcome: SendOutcome;
  next: 'delivered' | 'retry' | 'dead' | 'deferred';
  durationMs: number;
}

/** An attempt that is over: what it came to, and its record, which settles once it is durable. */
export interface Executed {
  settled: Settled;
  /**
   * The store's write of the result. The send's slot need not wait for it: until it commits the
   * delivery stays claimed under its lease, and if it never commits (a crash) the lease runs out
   * and the delivery is sent again, which at-least-once allows; a retry or dead mark lost that way
   * is decided again by the next attempt, so nothing is lost.
   */
  recorded: Promise<void>;
}

/** One attempt of one claimed delivery: send, classify, and record what happens next. */
export async function executeDelivery(d: ClaimedDelivery, deps: ExecuteDeps): Promise<Executed> {
  const { store, clock, logger } = deps;
  const started = clock.now();
  const dest = deps.destinations.get(d.destination);
  let outcome: SendOutcome;
  if (!dest) {
    outcome = { kind: 'permanent', reason: 'config', error: `destination "${d.destination}" is no longer in the rules` };
  } else {
    // One send's own signal: the shutdown aborts it, and so does running past MAX_SEND_MS (a peer
    // that trickles bytes must not hold a slot, an order key and a renewed lease for ever).
    const send = new AbortController();
    const onShutdown = (): void => send.abort(deps.signal.reason);
    deps.signal.addEventListener('abort', onShutdown, { once: true });
    // A kind whose sends are long by nature (a mirror's transfers) brings its own backstop and
    // bounds itself otherwise (a stall timeout); every other kind gets MAX_SEND_MS.
    const maxSendMs = dest.maxSendMs ?? deps.maxSendMs ?? MAX_SEND_MS;
    const overrun = setTimeout(() => {
      // Past the backstop the claim is let go even if the destination ignores the abort.
      clearInterval(renew);
      send.abort(new Error('send overran'));
    }, maxSendMs);
    // Renewed every third of the lease while the send lasts; stops once the claim is lost.
    const renew = setInterval(() => {
      store.extendLease(d.id, new Date(clock.now().getTime() + deps.leaseMs), d.claim).then(
        (held) => {
          if (!held && !send.signal.aborted) logger.warn({ delivery: d.id, claim: d.claim }, 'lease lost mid-send: another worker may send it too');
          if (!held) clearInterval(renew);
        },
        () => undefined,
      );
    }, Math.max(100, Math.floor(deps.leaseMs / 3)));
    try {
      outcome = await dest.send(d, send.signal);
    } catch (err) {
      // A sender should classify, not throw; an exception is a bug or an unexpected fault: retry.
      outcome = { kind: 'retry', reason: 'network', error: `unexpected error: ${(err as Error).message ?? String(err)}` };
    } finally {
      clearInterval(renew);
      clearTimeout(overrun);
      deps.signal.removeEventListener('abort', onShutdown);
    }
    if (send.signal.aborted && !deps.signal.aborted && outcome.kind !== 'success') {
      outcome = { kind: 'retry', reason: 'timeout', error: `the send took longer than ${Math.round(maxSendMs / 1000)} s and was cut off` };
    }
  }
  if (deps.signal.aborted && outcome.kind !== 'success') {
    // Cut short by a shutdown, not failed: back to the queue without using a step of the schedule.
    outcome = { kind: 'deferred', reason: 'network', error: 'aborted by shutdown', waitMs: 0 };
  }
  // One line per attempt: its fields given with the line, not through a child logger (a child
  // per attempt cost as much again as the line itself).
  const where = { delivery: d.id, event: d.eventId, destination: d.destination, attempt: d.attempts };
  const log = {
    debug: (o: object, msg: string) => logger.debug({ ...where, ...o }, msg),
    info: (o: object, msg: string) => logger.info({ ...where, ...o }, msg),
    warn: (o: object, msg: string) => logger.warn({ ...where, ...o }, msg),
  };
  if (outcome.kind === 'deferred') {
    // Not sent, or cut short: back to the queue without using an attempt or a step of the schedule.
    const until = new Date(clock.now().getTime() + outcome.waitMs);
    log.debug({ reason: outcome.reason, until: until.toISOString() }, 'delivery deferred by its destination');
    return { settled: { outcome, next: 'deferred', durationMs: 0 }, recorded: store.defer(d.id, until, d.claim) };
  }
  const attempt: AttemptRecord = {
    // The store ignores the result of an attempt whose lease another worker has taken over.
    attempt: d.attempts,
    claim: d.claim,
    startedAt: started.toISOString(),
    durationMs: Math.max(0, clock.now().getTime() - started.getTime()),
    outcome: outcome.kind,
    statusCode: outcome.statusCode ?? null,
    error: outcome.kind === 'success' ? null : outcome.error.slice(0, MAX_ERROR),
  };
  const settled = (next: Settled['next']): Settled => ({ outcome, next, durationMs: attempt.durationMs });
  if (outcome.kind === 'success') {
    log.info({ status: outcome.statusCode }, 'delivered');
    return { settled: settled('delivered'), recorded: store.succeed(d.id, attempt) };
  }
  if (outcome.kind === 'permanent') {
    log.warn({ reason: outcome.reason, error: attempt.error }, 'delivery failed permanently: dead');
    return { settled: settled('dead'), recorded: store.kill(d.id, `${outcome.reason}: ${attempt.error}`, attempt) };
  }
  const schedule = deps.destinations.rules.retry.scheduleMs;
  const next = outcome.at ?? nextAttempt({ scheduleMs: schedule, attempts: d.attempts, now: clock.now(), retryAfterMs: outcome.retryAfterMs });
  if (!next) {
    log.warn({ reason: outcome.reason, error: attempt.error }, 'retry schedule exhausted: dead');
    return { settled: settled('dead'), recorded: store.kill(d.id, `gave up after ${d.attempts} attempts: ${outcome.reason}: ${attempt.error}`, attempt) };
  }
  log.info({ reason: outcome.reason, error: attempt.error, next: next.toISOString() }, 'delivery failed: will retry');
  return { settled: settled('retry'), recorded: store.retryLater(d.id, next, attempt) };
}
