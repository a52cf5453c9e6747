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

/** One attempt of one claimed delivery: send, classify, and record what happens next. */
export async function executeDelivery(d: ClaimedDelivery, deps: ExecuteDeps): Promise<Settled> {
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
  const log = logger.child({ delivery: d.id, event: d.eventId, destination: d.destination, attempt: d.attempts });
  if (outcome.kind === 'deferred') {
    // Not sent, or cut short: back to the queue without using an attempt or a step of the schedule.
    const until = new Date(clock.now().getTime() + outcome.waitMs);
    await store.defer(d.id, until, d.claim);
    log.debug({ reason: outcome.reason, until: until.toISOString() }, 'delivery deferred by its destination');
    return { outcome, next: 'deferred', durationMs: 0 };
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
  if (outcome.kind === 'success') {
    await store.succeed(d.id, attempt);
    log.info({ status: outcome.statusCode }, 'delivered');
    return { outcome, next: 'delivered', durationMs: attempt.durationMs };
  }
  if (outcome.kind === 'permanent') {
    await store.kill(d.id, `${outcome.reason}: ${attempt.error}`, attempt);
    log.warn({ reason: outcome.reason, error: attempt.error }, 'delivery failed permanently: dead');
    return { outcome, next: 'dead', durationMs: attempt.durationMs };
  }
  const schedule = deps.destinations.rules.retry.scheduleMs;
  const next = outcome.at ?? nextAttempt({ scheduleMs: schedule, attempts: d.attempts, now: clock.now(), retryAfterMs: outcome.retryAfterMs });
  if (!next) {
    await store.kill(d.id, `gave up after ${d.attempts} attempts: ${outcome.reason}: ${attempt.error}`, attempt);
    log.warn({ reason: outcome.reason, error: attempt.error }, 'retry schedule exhausted: dead');
    return { outcome, next: 'dead', durationMs: attempt.durationMs };
  }
  await store.retryLater(d.id, next, attempt);
  log.info({ reason: outcome.reason, error: attempt.error, next: next.toISOString() }, 'delivery failed: will retry');
  return { outcome, next: 'retry', durationMs: attempt.durationMs };
}
