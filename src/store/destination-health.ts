import type { DestinationHealth } from './admin-types.js';
import type { DestinationBacklog } from './store.js';

/**
 * The dashboard's health strip per named destination, from the counters the store keeps
 * (Store.backlog): exact counts and the oldest open delivery, a few rows read whatever is stored.
 * A destination with no deliveries at all has zeros.
 */
export function healthFromBacklog(destinations: string[], backlog: DestinationBacklog[]): DestinationHealth[] {
  const by = new Map(backlog.map((b) => [b.destination, b]));
  return destinations.map((destination) => {
    const b = by.get(destination);
    return {
      destination,
      unfinished: b ? b.counts.pending + b.counts.delivering : 0,
      oldestUnfinishedAt: b?.oldestOpenAt ?? null,
      dead: b?.counts.dead ?? 0,
    };
  });
}
