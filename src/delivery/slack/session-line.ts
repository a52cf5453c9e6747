import type { RelayEvent } from '../../domain/event.js';
import { foldSession } from '../../sessions/fold-session.js';
import { sessionFacts } from '../../sessions/session-facts.js';
import { formatSessionKey } from '../../sessions/session-key.js';
import type { SessionRecord } from '../../sessions/session-types.js';
import type { Store } from '../../store/store.js';
import { statusLine } from './session-status.js';

/**
 * The status line of the event's session as the store's record has it now: every event of the
 * session that has arrived so far (this one included, stored at ingest), whatever their order.
 * A record not there (the event was never stored, or has been purged) is drawn from the event alone.
 */
export async function sessionLine(store: Pick<Store, 'getSession'>, event: RelayEvent): Promise<string> {
  const key = formatSessionKey(event);
  return statusLine((await store.getSession(key)) ?? recordOf(key, event));
}

function recordOf(key: string, e: RelayEvent): SessionRecord {
  const id = { appId: e.appId, roomId: e.roomId, confNum: e.confNum };
  return foldSession(key, id, [{ eventId: e.id, type: e.type, receivedAt: e.receivedAt, factKey: e.dedupeKey, facts: sessionFacts(e) }], []);
}
