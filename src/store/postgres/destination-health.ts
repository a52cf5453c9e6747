import { parseErrors, type DestinationHealthRecord, type DestinationObservation, type HealthState, type HealthTransition } from '../health-records.js';
import { noNul, type Db } from './db.js';

/**
 * What a process observed, merged: the later success and failure win, and the errors of the
 * later failure replace the stored ones. A new destination's row starts ok, episode 0. One
 * statement for every destination observed (unnest), so replicas merging at once just queue.
 */
export const OBSERVE_HEALTH = `
  INSERT INTO destination_health AS h (destination, last_success_at, last_failure_at, last_errors)
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[])
  ON CONFLICT (destination) DO UPDATE SET
    last_errors = CASE WHEN excluded.last_failure_at > coalesce(h.last_failure_at, '-infinity') THEN excluded.last_errors ELSE h.last_errors END,
    last_success_at = GREATEST(excluded.last_success_at, h.last_success_at),
    last_failure_at = GREATEST(excluded.last_failure_at, h.last_failure_at)`;

export const GET_HEALTH = 'SELECT * FROM destination_health WHERE destination = ANY ($1::text[])';

export const SET_FAILING = `
  UPDATE destination_health SET state = 'failing', episode = episode + 1, failing_since = $3, recovered_at = NULL
  WHERE destination = $1 AND state = 'ok' AND announced = 'ok' AND episode = $2`;
export const SET_RECOVERED = `
  UPDATE destination_health SET state = 'ok', recovered_at = $3
  WHERE destination = $1 AND state = 'failing' AND announced = 'failing' AND episode = $2`;
export const SET_ANNOUNCED = `
  UPDATE destination_health SET announced = state
  WHERE destination = $1 AND episode = $2 AND state = $3 AND announced <> state`;

interface HealthRow {
  destination: string;
  state: HealthState;
  episode: number;
  announced: HealthState;
  failing_since: Date | null;
  recovered_at: Date | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_errors: string;
}

export async function observeDestinations(db: Db, observations: DestinationObservation[]): Promise<void> {
  if (observations.length === 0) return;
  // One row per destination: ON CONFLICT cannot touch the same row twice in one statement.
  const byName = new Map(observations.map((o) => [o.destination, o]));
  const os = [...byName.values()];
  await db.query(OBSERVE_HEALTH, [
    os.map((o) => noNul(o.destination)),
    os.map((o) => o.lastSuccessAt),
    os.map((o) => o.lastFailureAt),
    os.map((o) => noNul(JSON.stringify(o.errors))),
  ]);
}

export async function destinationRecords(db: Db, destinations: string[]): Promise<DestinationHealthRecord[]> {
  if (destinations.length === 0) return [];
  const { rows } = await db.query<HealthRow>(GET_HEALTH, [destinations.map((d) => noNul(d))]);
  const byName = new Map(rows.map((r) => [r.destination, r]));
  return destinations.flatMap((d) => {
    const r = byName.get(d);
    return r ? [recordFromRow(r)] : [];
  });
}

export async function transitionDestination(db: Db, t: HealthTransition): Promise<boolean> {
  const r =
    t.kind === 'announced'
      ? await db.query(SET_ANNOUNCED, [t.destination, t.episode, t.state])
      : await db.query(t.kind === 'failing' ? SET_FAILING : SET_RECOVERED, [t.destination, t.episode, t.at]);
  return r.rowCount === 1;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

function recordFromRow(r: HealthRow): DestinationHealthRecord {
  return {
    destination: r.destination,
    state: r.state,
    episode: r.episode,
    announced: r.announced,
    failingSince: iso(r.failing_since),
    recoveredAt: iso(r.recovered_at),
    lastSuccessAt: iso(r.last_success_at),
    lastFailureAt: iso(r.last_failure_at),
    lastErrors: parseErrors(r.last_errors),
  };
}
