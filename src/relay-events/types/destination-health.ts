import type { HealthError } from '../../store/health-records.js';
import type { RelayEventDraft } from '../relay-event.js';

export const DESTINATION_FAILING = 'relay.destination.failing';
export const DESTINATION_RECOVERED = 'relay.destination.recovered';

export const FAILING_FIELDS = ['destination', 'episode', 'failing_since', 'failing_after', 'last_success_at', 'last_errors', 'waiting', 'oldest_waiting_at'] as const;
export const RECOVERED_FIELDS = ['destination', 'episode', 'failing_since', 'recovered_at', 'down_for', 'down_for_seconds'] as const;

export interface FailingInput {
  destination: string;
  episode: number;
  /** Since when nothing succeeded while deliveries waited (the later of the last success and the oldest waiting delivery). */
  failingSince: string;
  failingAfterMs: number;
  lastSuccessAt: string | null;
  /** Newest last, secrets already masked. */
  lastErrors: HealthError[];
  waiting: number;
  oldestWaitingAt: string | null;
}

/**
 * `relay.destination.failing`: once per failing episode of a destination (`once` carries the
 * episode), about that destination, so it is never delivered to it (routing/route-event.ts).
 */
export function failingAnnouncement(i: FailingInput): RelayEventDraft {
  return {
    type: DESTINATION_FAILING,
    aboutDestination: i.destination,
    once: `${i.destination}:failing:${i.episode}`,
    fields: {
      destination: i.destination,
      episode: i.episode,
      failing_since: i.failingSince,
      failing_after: formatDuration(i.failingAfterMs),
      last_success_at: i.lastSuccessAt,
      last_errors: i.lastErrors.map((e) => ({ at: e.at, error: e.error })),
      waiting: i.waiting,
      oldest_waiting_at: i.oldestWaitingAt,
    },
  };
}

export interface RecoveredInput {
  destination: string;
  episode: number;
  failingSince: string;
  recoveredAt: string;
}

/** `relay.destination.recovered`: the first success after a failing episode was announced, once per episode. */
export function recoveredAnnouncement(i: RecoveredInput): RelayEventDraft {
  const seconds = Math.max(0, Math.round((Date.parse(i.recoveredAt) - Date.parse(i.failingSince)) / 1000));
  return {
    type: DESTINATION_RECOVERED,
    aboutDestination: i.destination,
    once: `${i.destination}:recovered:${i.episode}`,
    fields: {
      destination: i.destination,
      episode: i.episode,
      failing_since: i.failingSince,
      recovered_at: i.recoveredAt,
      down_for: formatDuration(seconds * 1000),
      down_for_seconds: seconds,
    },
  };
}

/** 750000 -> "12m 30s"; 0 -> "0s". */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.round(ms / 1000));
  const parts: string[] = [];
  for (const [unit, n] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (s >= n) {
      parts.push(`${Math.floor(s / n)}${unit}`);
      s %= n;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.slice(0, 2).join(' ');
}
