import { useRef, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { EventPage, EventSummary } from '../api/types.js';
import { DeliveryBadges } from '../components/delivery-badge.js';
import { ErrorNote } from '../components/error-note.js';
import { LoadOlder } from '../components/load-older.js';
import { TimeText } from '../components/time-text.js';
import { plural } from '../format.js';
import { usePoll } from '../hooks/use-poll.js';
import { hrefTo } from '../router.js';
import { EventFilters, NO_FILTER, type EventFilter } from './event-filters.js';

const PAGE = 50;
/** A short page (a rare filter) is continued at once, a few times, before asking for a click. */
const FILL_TRIES = 4;

const older = (a: EventSummary, b: EventSummary): boolean => a.receivedAt < b.receivedAt || (a.receivedAt === b.receivedAt && a.id < b.id);

/**
 * Events newest first, by cursor pages. While open, the first page is asked for again every
 * few seconds: new events appear on top and the badges of the rows it covers change; older rows
 * stay as loaded until they come back into view.
 */
export function EventsPage() {
  const [filter, setFilter] = useState<EventFilter>(NO_FILTER);
  const [rows, setRows] = useState<EventSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [news, setNews] = useState('');
  const known = useRef(new Set<string>());

  const fetchPage = async (from: string | null): Promise<EventPage> => {
    let page: EventPage = { events: [], nextCursor: from };
    const events: EventSummary[] = [];
    for (let i = 0; i < FILL_TRIES && events.length < PAGE; i++) {
      page = await api<EventPage>('GET', '/events', { query: { ...filter, limit: PAGE, cursor: page.nextCursor } });
      events.push(...page.events);
      if (!page.nextCursor) break;
    }
    return { events, nextCursor: page.nextCursor };
  };

  // The top of the list, again: authoritative for the rows it covers, older ones kept.
  usePoll(
    async () => {
      try {
        const top = await fetchPage(null);
        setError(null);
        setRows((current) => {
          if (!loaded || !top.nextCursor) return top.events;
          const last = top.events[top.events.length - 1];
          return [...top.events, ...current.filter((r) => !last || older(r, last))];
        });
        if (!loaded || !top.nextCursor) setCursor(top.nextCursor);
        const fresh = top.events.filter((e) => !known.current.has(e.id));
        if (loaded && fresh.length > 0) setNews(`${plural(fresh.length, 'new event')}`);
        for (const e of top.events) known.current.add(e.id);
        setLoaded(true);
      } catch (err) {
        setError(err);
      }
    },
    3000,
    [filter],
  );

  const apply = (f: EventFilter): void => {
    known.current = new Set();
    setLoaded(false);
    setRows([]);
    setNews('');
    setFilter(f);
  };
  const loadOlder = async (): Promise<void> => {
    setLoading(true);
    try {
      const page = await fetchPage(cursor);
      for (const e of page.events) known.current.add(e.id);
      setRows((current) => [...current, ...page.events.filter((e) => !current.some((r) => r.id === e.id))]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <h1>Events</h1>
      <EventFilters value={filter} onApply={apply} />
      <p class="muted live" role="status" aria-live="polite">
        {loaded ? `Showing ${plural(rows.length, 'event')}, newest first; updates by itself. ${news}` : 'Loading…'}
      </p>
      <ErrorNote error={error} title="Events" />
      <div class="table-wrap">
        <table class="events stack">
          <caption class="sr-only">Events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Type</th>
              <th scope="col">Room / conference</th>
              <th scope="col">App</th>
              <th scope="col">Deliveries</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} data-event={e.id}>
                <td data-label="Received">
                  <a href={hrefTo(`/events/${e.id}`)} aria-label={`Event ${e.type} in room ${e.roomId}, received ${e.receivedAt}`}>
                    <TimeText iso={e.receivedAt} />
                  </a>
                </td>
                <td data-label="Type">{e.type}</td>
                <td data-label="Room / conference" class="wrap">
                  {e.roomId} <span class="muted">/ {e.confNum}</span>
                </td>
                <td data-label="App" class="wrap muted">{e.appId}</td>
                <td data-label="Deliveries">
                  <DeliveryBadges deliveries={e.deliveries} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loaded ? <LoadOlder cursor={cursor} loading={loading} onLoad={loadOlder} shown={rows.length} /> : null}
    </>
  );
}
