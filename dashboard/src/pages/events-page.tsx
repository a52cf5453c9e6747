import { useRef, useState } from 'preact/hooks';
import type { EventPage, EventSummary } from '../api/types.js';
import { DeliveryBadges } from '../components/delivery-badge.js';
import { ErrorNote } from '../components/error-note.js';
import { LoadOlder } from '../components/load-older.js';
import { TimeText } from '../components/time-text.js';
import { plural } from '../format.js';
import { usePagedList } from '../hooks/use-paged-list.js';
import { hrefTo } from '../router.js';
import { EventFilters, NO_FILTER, type EventFilter } from './event-filters.js';

const older = (a: EventSummary, b: EventSummary): boolean => a.receivedAt < b.receivedAt || (a.receivedAt === b.receivedAt && a.id < b.id);

/**
 * Events newest first, by cursor pages. While open, the first page is asked for again every
 * few seconds: new events appear on top and the badges of the rows it covers change; older rows
 * stay as loaded until they come back into view.
 */
export function EventsPage() {
  const [filter, setFilter] = useState<EventFilter>(NO_FILTER);
  const [news, setNews] = useState('');
  const known = useRef(new Set<string>());
  const list = usePagedList<EventSummary, EventPage>({
    path: '/events',
    filter,
    rows: (page) => page.events,
    keyOf: (e) => e.id,
    older,
    everyMs: 3000,
    onTop: (top, first) => {
      const fresh = top.filter((e) => !known.current.has(e.id));
      if (!first && fresh.length > 0) setNews(`${plural(fresh.length, 'new event')}`);
      for (const e of top) known.current.add(e.id);
    },
  });
  const { rows, cursor, loaded, loading, error, loadOlder } = list;

  const apply = (f: EventFilter): void => {
    known.current = new Set();
    list.restart();
    setNews('');
    setFilter(f);
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
