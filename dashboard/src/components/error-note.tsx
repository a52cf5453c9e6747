import { ApiError } from '../api/client.js';

/** What went wrong, as the relay said it, every detail with where it points (a field, file:line:column). */
export function ErrorNote({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  return (
    <div class="note note-error" role="alert">
      <p>
        <strong>{title ?? 'Error'}:</strong> {e ? e.message : String((error as Error).message ?? error)}
        {e && e.status > 0 ? <span class="muted"> (HTTP {e.status}{e.code ? `, ${e.code}` : ''})</span> : null}
      </p>
      {e && e.details.length > 0 ? (
        <ul class="details">
          {e.details.map((d, i) => (
            <li key={i}>
              {d.path ? <code>{d.path}</code> : null}
              {d.path ? ': ' : ''}
              {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
