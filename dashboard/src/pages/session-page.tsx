import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { SessionRecord, SessionWatch, WatchState } from '../api/types.js';
import { ErrorNote } from '../components/error-note.js';
import { TimeText } from '../components/time-text.js';
import { plural } from '../format.js';
import { usePoll } from '../hooks/use-poll.js';
import { hrefTo } from '../router.js';

/** How each watch state looks: the delivery badges' colours (done, waiting, failed). */
const WATCH_BADGE: Record<WatchState, string> = { met: 'delivered', recovered: 'delivered', waiting: 'pending', late: 'pending', overdue: 'dead', cancelled: 'delivering' };

const bytes = (n: number | null): string => (n === null ? 'size unknown' : n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${(n / 1024 ** 3).toFixed(2)} GiB`);
const storage = (d: SessionRecord['transfers'][number]['destination']): string => (d ? [d.name, d.account && `account ${d.account}`, d.host && `host ${d.host}`].filter(Boolean).join(', ') : 'unknown storage');

/**
 * One session: its events in the order they arrived (each a link to its event page), what they
 * told (ended, recordings, transcoded stages, transfers, mirrored copies) and each expectation's
 * state. Polled: a session goes on receiving events. Every value is text, never markup.
 */
export function SessionPage({ param }: { param?: string }) {
  const key = param ?? '';
  const [session, setSession] = useState<SessionRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  usePoll(
    async () => {
      try {
        setSession((await api<{ session: SessionRecord }>('GET', `/sessions/${encodeURIComponent(key)}`)).session);
        setError(null);
      } catch (err) {
        setError(err);
      }
    },
    4000,
    [key],
  );

  if (!session) {
    return (
      <>
        <h1>Session</h1>
        {error instanceof ApiError && error.status === 404 ? <p>No session {key} is stored (its events may have been purged).</p> : <ErrorNote error={error} title="Session" />}
        <p>
          <a href={hrefTo('/sessions')}>Back to sessions</a>
        </p>
      </>
    );
  }
  const s = session;
  const typeOf = new Map(s.events.map((e) => [e.id, e.type]));
  const eventLink = (id: string, label?: string) => (
    <a href={hrefTo(`/events/${id}`)} aria-label={`Event ${typeOf.get(id) ?? ''} ${id}`}>
      {label ?? 'event'}
    </a>
  );
  return (
    <>
      <p class="crumbs">
        <a href={hrefTo('/sessions')}>Sessions</a> /
      </p>
      <h1>
        Session <span class="muted">in room</span> {s.roomId}
      </h1>
      <ErrorNote error={error} title="Refresh" />
      <dl class="pairs">
        <dt>Key</dt>
        <dd>
          <code>{s.key}</code>
        </dd>
        <dt>App</dt>
        <dd>{s.appId}</dd>
        <dt>Conference</dt>
        <dd>{s.confNum}</dd>
        <dt>Ended</dt>
        <dd>{s.endedAt ? <TimeText iso={s.endedAt} exact /> : <span class="muted">not yet (no roomdrop)</span>}</dd>
        <dt>First event</dt>
        <dd>
          <TimeText iso={s.firstAt} exact />
        </dd>
        <dt>Last event</dt>
        <dd>
          <TimeText iso={s.lastAt} exact />
        </dd>
      </dl>

      <h2>Expectations</h2>
      {s.watches.length === 0 ? <p class="muted">No expectation of the rules watches this session.</p> : null}
      <ul class="watches">
        {s.watches.map((w) => (
          <WatchItem key={w.name} w={w} />
        ))}
      </ul>

      <h2>Timeline</h2>
      <p class="muted">{plural(s.events.length, 'event')}, in the order they arrived.</p>
      <ol class="timeline session-timeline">
        {s.events.map((e) => (
          <li key={e.id} class="attempt" data-event={e.id}>
            <span class="attempt-head">
              <TimeText iso={e.receivedAt} exact /> <strong>{e.type}</strong>
            </span>
            <span class="attempt-error">{eventLink(e.id, e.id)}</span>
          </li>
        ))}
      </ol>

      <h2>Recordings</h2>
      <Listed items={s.recordings} none="No recording yet.">
        {(f) => (
          <>
            <span class="wrap">{f.name}</span> <span class="muted">({eventLink(f.eventId)})</span>
          </>
        )}
      </Listed>

      <h2>Transcoded</h2>
      <Listed items={s.transcoded} none="No transcoded file yet.">
        {(x) => (
          <>
            Stage {x.stage ?? '?'}: <span class="wrap">{x.name ?? 'no file'}</span>, {bytes(x.sizeBytes)} <span class="muted">({eventLink(x.eventId)})</span>
          </>
        )}
      </Listed>

      <h2>Transfers</h2>
      <Listed items={s.transfers} none="No transfer to storage yet.">
        {(x) => (
          <>
            To <span class="wrap">{storage(x.destination)}</span>: {plural(x.files.length, 'file')}
            {x.files.length ? <span class="wrap muted"> ({x.files.map((f) => f.name).join(', ')})</span> : null} <span class="muted">({eventLink(x.eventId)})</span>
          </>
        )}
      </Listed>

      <h2>Mirrored copies</h2>
      <Listed items={s.mirrored} none="No copy by a mirror.">
        {(m) => (
          <>
            <strong>{m.destination ?? 'mirror'}</strong>: <span class="wrap">{m.name}</span> {m.status}
            {m.location ? <span class="wrap muted"> at {m.location}</span> : null}
            {m.reason ? <span class="muted"> ({m.reason})</span> : null} <span class="muted">({eventLink(m.eventId)})</span>
          </>
        )}
      </Listed>

      {s.unknown.length > 0 ? (
        <>
          <h2>Events of unknown types</h2>
          <Listed items={s.unknown} none="">
            {(e) => (
              <>
                <span class="wrap">{e.type}</span> <span class="muted">({eventLink(e.id)})</span>
              </>
            )}
          </Listed>
        </>
      ) : null}
    </>
  );
}

function WatchItem({ w }: { w: SessionWatch }) {
  const when = w.state === 'waiting' ? 'due' : w.state === 'overdue' ? 'overdue since' : w.state === 'late' ? 'was due' : 'since';
  return (
    <li data-watch={w.name} data-state={w.state}>
      <strong class="wrap">{w.name}</strong>: {w.thenType} <span class="muted">after</span> {w.afterType}{' '}
      <span class={`badge badge-${WATCH_BADGE[w.state]}`}>{w.state}</span> <span class="muted">{when}</span> <TimeText iso={w.state === 'waiting' || w.state === 'overdue' || w.state === 'late' ? w.dueAt : w.updatedAt} exact />
    </li>
  );
}

function Listed<T>({ items, none, children }: { items: T[]; none: string; children: (item: T) => ComponentChildren }) {
  if (items.length === 0) return <p class="muted">{none}</p>;
  return (
    <ul class="listed">
      {items.map((item, i) => (
        <li key={i}>{children(item)}</li>
      ))}
    </ul>
  );
}
