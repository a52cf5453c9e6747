import type { Rules, RouteSpec } from '../config/rules-types.js';
import type { EventView } from '../domain/event-view.js';
import { aboutDestination } from '../relay-events/relay-event.js';
import { getPath } from './get-path.js';

export interface RoutingResult {
  /** Every route whose `when` held, in file order, with all the destinations it names. */
  matched: { route: string; destinations: string[] }[];
  /** One per destination, credited to the first route that named it (null: the fallback). */
  deliveries: { destination: string; route: string | null }[];
}

/**
 * Which destinations get this event: routes top to bottom, each matching one adds its
 * destinations, a matching `stop: true` route ends the search, and a destination gets the event
 * at most once. Nothing matched: the fallback, if any; else no deliveries (the caller keeps the
 * event as unrouted). A relay event about a destination is never delivered to it, whatever the
 * rules say (a failing receiver must not be told it fails; a mirror not asked to mirror its news).
 */
export function routeEvent(rules: Rules, view: EventView): RoutingResult {
  const matched: RoutingResult['matched'] = [];
  const deliveries: RoutingResult['deliveries'] = [];
  const about = aboutDestination(view);
  const taken = new Set<string>(about === null ? [] : [about]);
  for (const route of rules.routes) {
    if (!routeMatches(route, view)) continue;
    matched.push({ route: route.name, destinations: [...route.to] });
    for (const destination of route.to) {
      if (taken.has(destination)) continue;
      taken.add(destination);
      deliveries.push({ destination, route: route.name });
    }
    if (route.stop) break;
  }
  if (matched.length === 0 && rules.fallback !== null && rules.fallback !== about) deliveries.push({ destination: rules.fallback, route: null });
  return { matched, deliveries };
}

export function routeMatches(route: RouteSpec, view: EventView): boolean {
  return route.when.every((w) => w.test(getPath(view, w.path)));
}
