import type { Delivery } from '../domain/delivery.js';
import { formatTime } from './format-time.js';

/**
 * A delivery's current state in words. The error shown is the one that made it what it is now:
 * a delivered delivery shows none, and one replayed but not yet tried says so rather than
 * showing the failure it was replayed from.
 */
export function deliveryState(d: Delivery): string {
  const tries = `${d.attempts} ${d.attempts === 1 ? 'try' : 'tries'}`;
  switch (d.status) {
    case 'delivered':
      // A replay after delivery was a new message: which one this is.
      return `delivered (${tries}${d.replays > 0 ? `, as replay ${d.replays}` : ''})`;
    case 'delivering':
      return `delivering (try ${d.attempts} in flight)`;
    case 'dead':
      return `dead after ${tries}: ${d.lastError ?? 'no reason recorded'}`;
    case 'pending':
      if (d.attempts === 0) return d.lastError || d.replays > 0 ? `pending (replayed, due ${formatTime(d.nextAttemptAt)})` : `pending (due ${formatTime(d.nextAttemptAt)})`;
      return `pending (retry after ${tries}, due ${formatTime(d.nextAttemptAt)}): ${d.lastError ?? ''}`;
  }
}
