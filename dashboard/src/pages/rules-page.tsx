import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { ErrorDetail, RulesStatus } from '../api/types.js';
import { ErrorNote } from '../components/error-note.js';
import { TimeText } from '../components/time-text.js';
import { plural } from '../format.js';

/** Each problem with where it is: `rules.yaml:12:9` (file, line, column) as the loader reports it. */
function Problems({ items, kind }: { items: ErrorDetail[]; kind: 'error' | 'warning' }) {
  if (items.length === 0) return null;
  return (
    <ul class={`problems problems-${kind}`}>
      {items.map((e, i) => (
        <li key={i}>
          {e.path ? <code>{e.path}</code> : null} {e.message}
        </li>
      ))}
    </ul>
  );
}

/** The rules in force, where they came from, the last reload's result (with each error's line), Reload. */
export function RulesPage() {
  const [rules, setRules] = useState<RulesStatus | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reloading, setReloading] = useState(false);
  const [outcome, setOutcome] = useState<{ text: string; errors: ErrorDetail[]; warnings: ErrorDetail[] } | null>(null);

  const load = async (): Promise<void> => {
    try {
      const [status, src] = await Promise.all([api<RulesStatus>('GET', '/rules'), api<{ text: string | null }>('GET', '/rules/source')]);
      setRules(status);
      setSource(src.text);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => void load(), []);

  const reload = async (): Promise<void> => {
    setReloading(true);
    setOutcome(null);
    try {
      const r = await api<{ changed: boolean; hash: string; warnings: ErrorDetail[] }>('POST', '/rules/reload');
      setOutcome({ text: r.changed ? `Applied: new rules in force (${r.hash.slice(0, 12)}).` : 'The file is unchanged: the rules in force stay.', errors: [], warnings: r.warnings });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'rules_invalid') setOutcome({ text: `Refused: ${plural(err.details.length, 'error')}; the rules in force stay.`, errors: err.details, warnings: [] });
      else setError(err);
    } finally {
      setReloading(false);
      await load();
    }
  };

  const refused = rules?.lastReload?.result === 'refused' ? rules.lastReload : null;
  return (
    <>
      <h1>Rules</h1>
      <ErrorNote error={error} title="Rules" />
      {rules ? (
        <>
          <dl class="pairs">
            <dt>File</dt>
            <dd>
              <code>{rules.file}</code>
            </dd>
            <dt>sha256</dt>
            <dd>
              <code title={rules.hash}>{rules.hash.slice(0, 12)}</code>
            </dd>
            <dt>Loaded</dt>
            <dd>
              <TimeText iso={rules.loadedAt} exact />
            </dd>
            <dt>Last reload</dt>
            <dd>{rules.lastReload ? <>{rules.lastReload.result}, <TimeText iso={rules.lastReload.at} /></> : 'none since start'}</dd>
            {rules.tests ? (
              <>
                <dt>Test cases</dt>
                <dd>
                  <code>{rules.tests}</code> (run by <code>enx-relay check</code>)
                </dd>
              </>
            ) : null}
          </dl>
          <p>
            <button type="button" class="primary" onClick={reload} disabled={reloading}>
              {reloading ? 'Reloading…' : 'Reload from file'}
            </button>
          </p>
          <div role="status" aria-live="polite">
            {outcome ? (
              <div class={`note ${outcome.errors.length ? 'note-error' : 'note-ok'}`}>
                <p>{outcome.text}</p>
                <Problems items={outcome.errors} kind="error" />
                <Problems items={outcome.warnings} kind="warning" />
              </div>
            ) : refused ? (
              <div class="note note-error">
                <p>
                  The last reload (<TimeText iso={refused.at} />) was refused; the rules below stay in force.
                </p>
                <Problems items={refused.errors} kind="error" />
              </div>
            ) : null}
          </div>

          <h2>Routes, tried top to bottom</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Route</th>
                  <th scope="col">When</th>
                  <th scope="col">To</th>
                </tr>
              </thead>
              <tbody>
                {rules.routes.map((r) => (
                  <tr key={r.name}>
                    <td>{r.name}</td>
                    <td class="wrap">
                      <code>{Object.keys(r.when).length ? JSON.stringify(r.when) : 'every event'}</code>
                    </td>
                    <td>
                      {r.to.join(', ')}
                      {r.stop ? ' (stop)' : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            Fallback: {rules.fallback ?? 'none (unmatched events are kept as unrouted)'}. Destinations: {rules.destinations.map((d) => `${d.name} (${d.kind})`).join(', ')}.
          </p>

          <h2>The file in force</h2>
          <p class="muted">As loaded (the file on disk may differ since); secrets masked.</p>
          {source !== null ? (
            <ol class="source" aria-label="Rules source">
              {source.replace(/\n$/, '').split('\n').map((line, i) => (
                <li key={i}>
                  <code>{line || ' '}</code>
                </li>
              ))}
            </ol>
          ) : null}
        </>
      ) : null}
    </>
  );
}
