import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { DEAD_REASONS, type DeadLetter, type DeadLetterGroup } from '../api/types.js';
import { DeadGroups, replay, replayCount, type Filter } from './dead-groups.js';
import { ConfirmAction } from '../components/confirm-action.js';
import { ErrorNote } from '../components/error-note.js';
import { LoadOlder } from '../components/load-older.js';
import { TimeText } from '../components/time-text.js';
import { plural } from '../format.js';
import { usePoll } from '../hooks/use-poll.js';
import { hrefTo } from '../router.js';


/**
 * Dead letters grouped by destination and reason, each group replayable as a whole; below, the
 * dead deliveries of a group (or all), to pick and replay. Every replay is counted first.
 */
export function DeadLettersPage() {
  const [groups, setGroups] = useState<{ groups: DeadLetterGroup[]; truncated: boolean } | null>(null);
  const [filter, setFilter] = useState<Filter>({ destination: '', reason: '' });
  const [letters, setLetters] = useState<DeadLetter[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');

  const loadGroups = async (): Promise<void> => {
    try {
      setGroups(await api('GET', '/dead-letters/groups'));
    } catch (err) {
      setError(err);
    }
  };
  const loadLetters = async (from: string | null, f = filter): Promise<void> => {
    setLoading(true);
    try {
      const page = await api<{ deadLetters: DeadLetter[]; nextCursor: string | null }>('GET', '/dead-letters', { query: { ...f, cursor: from, limit: 50 } });
      setLetters((current) => (from ? [...current, ...page.deadLetters] : page.deadLetters));
      setCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  usePoll(loadGroups, 30_000, []);
  usePoll(() => loadLetters(null), 60_000, [filter.destination, filter.reason]);
  const refresh = async (): Promise<void> => {
    setSelected(new Set());
    await Promise.all([loadGroups(), loadLetters(null)]);
  };
  const show = (f: Filter): void => {
    setSelected(new Set());
    setFilter(f);
  };
  const toggle = (id: string): void => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const allOnPage = letters.length > 0 && letters.every((l) => selected.has(l.deliveryId));

  return (
    <>
      <h1>Dead letters</h1>
      <p class="note note-ok" role="status" aria-live="polite" hidden={!notice}>
        {notice}
      </p>
      <ErrorNote error={error} title="Dead letters" />
      <h2>By destination and reason</h2>
      {groups && groups.groups.length === 0 ? <p>No dead deliveries.</p> : null}
      {groups?.truncated ? <p class="muted">Counted over the newest dead deliveries only: there are more than these.</p> : null}
      <DeadGroups groups={groups?.groups ?? []} onShow={show} onReplayed={async (text) => (setNotice(text), await refresh())} />

      <h2>Dead deliveries</h2>
      <form class="filters" aria-label="Filter dead deliveries" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="d-dest">Destination</label>
          <input id="d-dest" value={filter.destination} onChange={(e) => show({ ...filter, destination: (e.target as HTMLInputElement).value.trim() })} autocomplete="off" />
        </div>
        <div class="field">
          <label for="d-reason">Reason</label>
          <select id="d-reason" value={filter.reason} onChange={(e) => show({ ...filter, reason: (e.target as HTMLSelectElement).value })}>
            <option value="">any</option>
            {DEAD_REASONS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div class="field field-actions">
          <ConfirmAction
            label={`Replay selected (${selected.size})`}
            onOutcome={setNotice}
            disabled={selected.size === 0}
            ask={async () => {
              const n = await replayCount({ deliveryIds: [...selected] });
              return n === 0 ? { question: 'None of them can be replayed now.', nothing: true } : { question: `Replay ${plural(n, 'selected delivery', 'selected deliveries')}?` };
            }}
            act={async () => {
              const text = await replay({ deliveryIds: [...selected] });
              await refresh();
              return text;
            }}
          />
        </div>
      </form>
      <div class="table-wrap">
        <table class="letters stack">
          <caption class="sr-only">Dead deliveries, newest event first</caption>
          <thead>
            <tr>
              <th scope="col">
                <input type="checkbox" aria-label="Select every dead delivery shown" checked={allOnPage} onChange={() => setSelected(allOnPage ? new Set() : new Set(letters.map((l) => l.deliveryId)))} />
              </th>
              <th scope="col">Received</th>
              <th scope="col">Event</th>
              <th scope="col">Destination</th>
              <th scope="col">Reason</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((l) => (
              <tr key={l.deliveryId} data-delivery={l.deliveryId}>
                <td data-label="Select">
                  <input type="checkbox" aria-label={`Select the delivery of ${l.type} in room ${l.roomId} to ${l.destination}`} checked={selected.has(l.deliveryId)} onChange={() => toggle(l.deliveryId)} />
                </td>
                <td data-label="Received">
                  <TimeText iso={l.receivedAt} />
                </td>
                <td data-label="Event" class="wrap">
                  <a href={hrefTo(`/events/${l.eventId}`)}>
                    {l.type} · {l.roomId}
                  </a>
                </td>
                <td data-label="Destination">{l.destination}</td>
                <td data-label="Reason">{l.reason}</td>
                <td data-label="Last error" class="wrap">{l.lastError}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadOlder cursor={cursor} loading={loading} onLoad={() => loadLetters(cursor)} shown={letters.length} />
    </>
  );
}
