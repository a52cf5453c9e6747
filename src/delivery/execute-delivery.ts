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
}

const MAX_ERROR = 500;

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
    const renew = setInterval(
      () => void store.extendLease(d.id, new Date(clock.now().getTime() + deps.leaseMs)).catch(() => undefined),
      Math.max(100, Math.floor(deps.leaseMs / 3)),
    );
    try {
      outcome = await dest.send(d, deps.signal);
    } catch (err) {
      // A sender should classify, not throw; an exception is a bug or an unexpected fault: retry.
      outcome = { kind: 'retry', reason: 'network', error: `unexpected error: ${(err as Error).message ?? String(err)}` };
    } finally {
      clearInterval(renew);
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
    await store.defer(d.id, until, d.attempts);
    log.debug({ reason: outcome.reason, until: until.toISOString() }, 'delivery deferred by its destination');
    return { outcome, next: 'deferred', durationMs: 0 };
  }
  const attempt: AttemptRecord = {
    // The store ignores the result of an attempt whose lease another worker has taken over.
    attempt: d.attempts,
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
  const next = nextAttempt({ scheduleMs: schedule, attempts: d.attempts, now: clock.now(), retryAfterMs: outcome.retryAfterMs });
  if (!next) {
    await store.kill(d.id, `gave up after ${d.attempts} attempts: ${outcome.reason}: ${attempt.error}`, attempt);
    log.warn({ reason: outcome.reason, error: attempt.error }, 'retry schedule exhausted: dead');
    return { outcome, next: 'dead', durationMs: attempt.durationMs };
  }
  await store.retryLater(d.id, next, attempt);
  log.info({ reason: outcome.reason, error: attempt.error, next: next.toISOString() }, 'delivery failed: will retry');
  return { outcome, next: 'retry', durationMs: attempt.durationMs };
}
