import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { EventDetail } from '../api/types.js';
import { ErrorNote } from '../components/error-note.js';
import { JsonBlock } from '../components/json-block.js';
import { TimeText } from '../components/time-text.js';
import { usePoll } from '../hooks/use-poll.js';
import { hrefTo } from '../router.js';
import { sessionKeyOf } from '../session-key.js';
import { DeliveryCard } from './delivery-card.js';

/**
 * One event: what EnableX sent (pretty, and the exact bytes on request), the normalized event,
 * and each delivery with its attempts and a Replay button. Polled while a delivery is unfinished.
 */
export function EventPage({ param }: { param?: string }) {
  const id = param ?? '';
  const [detail, setDetail] = useState<EventDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [raw, setRaw] = useState<{ text: string; bytes: number; url: string } | null>(null);

  const load = async (): Promise<void> => {
    try {
      setDetail(await api<EventDetail>('GET', `/events/${encodeURIComponent(id)}`));
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  usePoll(load, 2000, [id]);

  const showRaw = async (): Promise<void> => {
    try {
      const d = await api<EventDetail>('GET', `/events/${encodeURIComponent(id)}`, { query: { raw: 1 } });
      const bytes = Uint8Array.from(atob(d.event.raw ?? ''), (c) => c.charCodeAt(0));
      setRaw({ text: new TextDecoder('utf-8', { fatal: false }).decode(bytes), bytes: bytes.length, url: URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' })) });
    } catch (err) {
      setError(err);
    }
  };

  if (!detail) {
    return (
      <>
        <h1>Event</h1>
        {error instanceof ApiError && error.status === 404 ? <p>No event {id} is stored (it may have been purged).</p> : <ErrorNote error={error} title="Event" />}
        <p>
          <a href={hrefTo('/events')}>Back to events</a>
        </p>
      </>
    );
  }
  const { event, deliveries } = detail;
  const { body, raw: _raw, ...normalized } = event;
  return (
    <>
      <p class="crumbs">
        <a href={hrefTo('/events')}>Events</a> /
      </p>
      <h1>
        {event.type} <span class="muted">in room</span> {event.roomId}
      </h1>
      <ErrorNote error={error} title="Refresh" />
      <dl class="pairs">
        <dt>Event id</dt>
        <dd>
          <code>{event.id}</code>
        </dd>
        <dt>App</dt>
        <dd>{event.appId}</dd>
        <dt>Conference</dt>
        <dd>{event.confNum}</dd>
        {event.appId || event.roomId || event.confNum ? (
          <>
            <dt>Session</dt>
            <dd>
              <a href={hrefTo(`/sessions/${sessionKeyOf(event)}`)} class="session-link">
                Every event of this session
              </a>
            </dd>
          </>
        ) : null}
        <dt>Occurred</dt>
        <dd>
          <TimeText iso={event.occurredAt} exact />
        </dd>
        <dt>Received</dt>
        <dd>
          <TimeText iso={event.receivedAt} exact />
        </dd>
      </dl>

      <h2>Deliveries</h2>
      {deliveries.length === 0 ? <p class="muted">No route matched and there is no fallback: the event is kept as unrouted.</p> : null}
      {deliveries.map((d) => (
        <DeliveryCard key={d.id} d={d} onReplayed={load} />
      ))}

      <h2>Body as EnableX sent it</h2>
      <JsonBlock value={body} label="Body as received, parsed" />
      <p>
        {raw ? (
          <>
            Exact bytes ({raw.bytes} bytes, shown as UTF-8): <a href={raw.url} download={`${event.id}.json`}>download</a>
          </>
        ) : (
          <button type="button" onClick={showRaw}>
            Show the exact bytes
          </button>
        )}
      </p>
      {raw ? (
        <pre class="code" aria-label="Exact bytes as received" tabIndex={0}>
          {raw.text}
        </pre>
      ) : null}

      <h2>Normalized event</h2>
      <JsonBlock value={normalized} label="Normalized event" />
    </>
  );
}
