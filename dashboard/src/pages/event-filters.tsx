import { useState } from 'preact/hooks';
import { EVENT_TYPES, STATUSES } from '../api/types.js';
import { FilterActions, TextField } from '../components/filter-fields.js';

export interface EventFilter {
  type: string;
  app_id: string;
  room_id: string;
  status: string;
  since: string;
  until: string;
}

export const NO_FILTER: EventFilter = { type: '', app_id: '', room_id: '', status: '', since: '', until: '' };

const SINCE = [
  ['', 'any time'],
  ['1h', 'last hour'],
  ['24h', 'last 24 hours'],
  ['7d', 'last 7 days'],
  ['range', 'between…'],
] as const;

/** datetime-local is the browser's local time: sent as ISO-8601 with its offset, so the relay reads the same instant. */
const toIso = (local: string): string => (local ? new Date(local).toISOString() : '');

/** The events filters: applied on submit, so typing does not send a request per key. */
export function EventFilters({ value, onApply }: { value: EventFilter; onApply: (f: EventFilter) => void }) {
  const [draft, setDraft] = useState({ ...value, when: value.since && !value.since.includes('T') ? value.since : value.since ? 'range' : '', from: '', to: '' });
  const set = (k: string) => (e: Event) => setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value });
  const submit = (e: Event): void => {
    e.preventDefault();
    const range = draft.when === 'range';
    onApply({ type: draft.type.trim(), app_id: draft.app_id.trim(), room_id: draft.room_id.trim(), status: draft.status, since: range ? toIso(draft.from) : draft.when, until: range ? toIso(draft.to) : '' });
  };
  const clear = (): void => {
    setDraft({ ...NO_FILTER, when: '', from: '', to: '' });
    onApply(NO_FILTER);
  };
  return (
    <form class="filters" onSubmit={submit} aria-label="Filter events">
      <div class="field">
        <label for="f-type">Type</label>
        <input id="f-type" list="f-types" value={draft.type} onInput={set('type')} placeholder="any" autocomplete="off" />
        <datalist id="f-types">
          {EVENT_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </div>
      <TextField id="f-app" label="App id" value={draft.app_id} onInput={set('app_id')} />
      <TextField id="f-room" label="Room id" value={draft.room_id} onInput={set('room_id')} />
      <div class="field">
        <label for="f-status">Delivery status</label>
        <select id="f-status" value={draft.status} onChange={set('status')}>
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-when">Received</label>
        <select id="f-when" value={draft.when} onChange={set('when')}>
          {SINCE.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {draft.when === 'range' ? (
        <>
          <div class="field">
            <label for="f-from">From</label>
            <input id="f-from" type="datetime-local" step="1" value={draft.from} onInput={set('from')} />
          </div>
          <div class="field">
            <label for="f-to">Until</label>
            <input id="f-to" type="datetime-local" step="1" value={draft.to} onInput={set('to')} />
          </div>
        </>
      ) : null}
      <FilterActions onClear={clear} />
    </form>
  );
}
