import { hasSession, type RelayEvent } from '../domain/event.js';
import { eventView, type EventView } from '../domain/event-view.js';
import { getPath } from '../routing/get-path.js';
import type { ExpectationSpec } from './expectation.js';
import { sessionFacts } from './session-facts.js';
import { formatSessionKey } from './session-key.js';
import type { SessionTouch, WatchOpen } from './session-types.js';
import { storedText } from './stored-text.js';

/**
 * What the ingest writes about the event's session (null: the event is about no session, such as
 * a relay event about a destination). Computed on the main thread, so the store's transaction
 * only writes: the facts, and the watches of the expectations whose `after` this event is.
 * `view`: the event's view when the caller already has it (routing built one).
 */
export function sessionTouch(e: RelayEvent, expectations: readonly ExpectationSpec[], view?: EventView): SessionTouch | null {
  if (!hasSession(e)) return null;
  const opens: WatchOpen[] = [];
  const at = Date.parse(e.receivedAt);
  let satisfies = false;
  for (const x of expectations) {
    if (x.then === e.type) satisfies = true;
    if (x.after !== e.type) continue;
    if (x.when.length > 0) {
      view ??= eventView(e);
      const v = view;
      if (!x.when.every((w) => w.test(getPath(v, w.path)))) continue;
    }
    opens.push({ name: x.name, afterType: x.after, thenType: x.then, dueAt: new Date(at + x.withinMs).toISOString() });
  }
  return {
    key: formatSessionKey(e),
    type: storedText(e.type),
    appId: storedText(e.appId),
    roomId: storedText(e.roomId),
    confNum: storedText(e.confNum),
    facts: sessionFacts(e),
    opens: opens.map((o) => ({ ...o, name: storedText(o.name), afterType: storedText(o.afterType), thenType: storedText(o.thenType) })),
    satisfies,
  };
}
