import { useState } from 'preact/hooks';
import type { SessionPage, SessionSummary } from '../api/types.js';
import { ErrorNote } from '../components/error-note.js';
import { FilterActions, TextField } from '../components/filter-fields.js';
import { LoadOlder } from '../components/load-older.js';
import { TimeText } from '../components/time-text.js';
import { plural } from '../format.js';
import { usePagedList } from '../hooks/use-paged-list.js';
import { hrefTo } from '../router.js';

interface SessionFilter {
  app_id: string;
  room_id: string;
  overdue: string;
}

const NO_FILTER: SessionFilter = { app_id: '', room_id: '', overdue: '' };
const older = (a: SessionSummary, b: SessionSummary): boolean => a.lastAt < b.lastAt || (a.lastAt === b.lastAt && a.key < b.key);

/**
 * Sessions, the most recently active first, by cursor pages. While open, the first page is asked
 * for again every few seconds: a session with a new event moves to the top; older rows stay as
 * loaded until they come back into view.
 */
export function SessionsPage() {
  const [filter, setFilter] = useState<SessionFilter>(NO_FILTER);
  const list = usePagedList<SessionSummary, SessionPage>({
    path: '/sessions',
    filter,
    rows: (page) => page.sessions,
    keyOf: (s) => s.key,
    older,
    everyMs: 4000,
  });
  const { rows, cursor, loaded, loading, error, loadOlder } = list;

  const apply = (f: SessionFilter): void => {
    list.restart();
    setFilter(f);
  };

  return (
    <>
      <h1>Sessions</h1>
      <SessionFilters value={filter} onApply={apply} />
      <p class="muted live" role="status" aria-live="polite">
        {loaded ? `Showing ${plural(rows.length, 'session')}, most recently active first; updates by itself.` : 'Loading…'}
      </p>
      <ErrorNote error={error} title="Sessions" />
      <div class="table-wrap">
        <table class="sessions stack">
          <caption class="sr-only">Sessions, most recently active first</caption>
          <thead>
            <tr>
              <th scope="col">Last event</th>
              <th scope="col">Room / conference</th>
              <th scope="col">App</th>
              <th scope="col">Events</th>
              <th scope="col">Ended</th>
              <th scope="col">Expectations</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.key} data-session={s.key}>
                <td data-label="Last event">
                  <a href={hrefTo(`/sessions/${s.key}`)} aria-label={`Session in room ${s.roomId}, conference ${s.confNum}, last event ${s.lastAt}`}>
                    <TimeText iso={s.lastAt} />
                  </a>
                </td>
                <td data-label="Room / conference" class="wrap">
                  {s.roomId} <span class="muted">/ {s.confNum}</span>
                </td>
                <td data-label="App" class="wrap muted">{s.appId}</td>
                <td data-label="Events">{s.events}</td>
                <td data-label="Ended">{s.endedAt ? <TimeText iso={s.endedAt} /> : <span class="muted">not yet</span>}</td>
                <td data-label="Expectations">{s.overdue > 0 ? <span class="badge badge-dead">{plural(s.overdue, 'overdue', 'overdue')}</span> : <span class="muted">none overdue</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loaded ? <LoadOlder cursor={cursor} loading={loading} onLoad={loadOlder} shown={rows.length} /> : null}
    </>
  );
}

/** The sessions filters: applied on submit, so typing does not send a request per key. */
function SessionFilters({ value, onApply }: { value: SessionFilter; onApply: (f: SessionFilter) => void }) {
  const [draft, setDraft] = useState(value);
  const set = (k: keyof SessionFilter) => (e: Event) => setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value });
  const submit = (e: Event): void => {
    e.preventDefault();
    onApply({ app_id: draft.app_id.trim(), room_id: draft.room_id.trim(), overdue: draft.overdue });
  };
  const clear = (): void => {
    setDraft(NO_FILTER);
    onApply(NO_FILTER);
  };
  return (
    <form class="filters" onSubmit={submit} aria-label="Filter sessions">
      <TextField id="s-app" label="App id" value={draft.app_id} onInput={set('app_id')} />
      <TextField id="s-room" label="Room id" value={draft.room_id} onInput={set('room_id')} />
      <div class="field">
        <label for="s-overdue">Expectations</label>
        <select id="s-overdue" value={draft.overdue} onChange={set('overdue')}>
          <option value="">any</option>
          <option value="1">overdue now</option>
        </select>
      </div>
      <FilterActions onClear={clear} />
    </form>
  );
}
