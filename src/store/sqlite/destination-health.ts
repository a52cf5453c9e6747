import type { Database } from 'better-sqlite3';
import { parseErrors, type DestinationHealthRecord, type DestinationObservation, type HealthState, type HealthTransition } from '../health-records.js';
import { prepared } from './prepared.js';
import { toIsoOrNull } from './rows.js';

/**
 * What a process observed, merged: the later success and failure win, and the errors of the
 * later failure replace the stored ones. A new destination's row starts ok, episode 0.
 */
export const OBSERVE_HEALTH = `
  INSERT INTO destination_health (destination, last_success_at, last_failure_at, last_errors)
  VALUES (@destination, @success, @failure, @errors)
  ON CONFLICT (destination) DO UPDATE SET
    last_errors = CASE WHEN excluded.last_failure_at > coalesce(destination_health.last_failure_at, -1) THEN excluded.last_errors ELSE destination_health.last_errors END,
    last_success_at = nullif(max(coalesce(excluded.last_success_at, -1), coalesce(destination_health.last_success_at, -1)), -1),
    last_failure_at = nullif(max(coalesce(excluded.last_failure_at, -1), coalesce(destination_health.last_failure_at, -1)), -1)`;

export const GET_HEALTH = 'SELECT * FROM destination_health WHERE destination = ?';

export const SET_FAILING = `
  UPDATE destination_health SET state = 'failing', episode = episode + 1, failing_since = @at, recovered_at = NULL
  WHERE destination = @destination AND state = 'ok' AND announced = 'ok' AND episode = @episode`;
export const SET_RECOVERED = `
  UPDATE destination_health SET state = 'ok', recovered_at = @at
  WHERE destination = @destination AND state = 'failing' AND announced = 'failing' AND episode = @episode`;
export const SET_ANNOUNCED = `
  UPDATE destination_health SET announced = state
  WHERE destination = @destination AND state = @state AND episode = @episode AND announced <> state`;

interface HealthRow {
  destination: string;
  state: HealthState;
  episode: number;
  announced: HealthState;
  failing_since: number | null;
  recovered_at: number | null;
  last_success_at: number | null;
  last_failure_at: number | null;
  last_errors: string;
}

export function observeDestinations(db: Database, observations: DestinationObservation[]): void {
  const stmt = prepared(db, OBSERVE_HEALTH);
  for (const o of observations) {
    stmt.run({
      destination: o.destination,
      success: o.lastSuccessAt?.getTime() ?? null,
      failure: o.lastFailureAt?.getTime() ?? null,
      errors: JSON.stringify(o.errors),
    });
  }
}

/** The records of the named destinations that have one: a primary-key lookup each. */
export function destinationRecords(db: Database, destinations: string[]): DestinationHealthRecord[] {
  const stmt = prepared(db, GET_HEALTH);
  return destinations.flatMap((d) => {
    const row = stmt.get(d) as HealthRow | undefined;
    return row ? [recordFromRow(row)] : [];
  });
}

/** Applies the transition if the record still stands as the caller read it; whether it did. */
export function transitionDestination(db: Database, t: HealthTransition): boolean {
  if (t.kind === 'announced') return prepared(db, SET_ANNOUNCED).run({ destination: t.destination, state: t.state, episode: t.episode }).changes === 1;
  const sql = t.kind === 'failing' ? SET_FAILING : SET_RECOVERED;
  return prepared(db, sql).run({ destination: t.destination, episode: t.episode, at: t.at.getTime() }).changes === 1;
}

function recordFromRow(r: HealthRow): DestinationHealthRecord {
  return {
    destination: r.destination,
    state: r.state,
    episode: r.episode,
    announced: r.announced,
    failingSince: toIsoOrNull(r.failing_since),
    recoveredAt: toIsoOrNull(r.recovered_at),
    lastSuccessAt: toIsoOrNull(r.last_success_at),
    lastFailureAt: toIsoOrNull(r.last_failure_at),
    lastErrors: parseErrors(r.last_errors),
  };
}
