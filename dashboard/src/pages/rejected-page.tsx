import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Rejected } from '../api/types.js';
import { ErrorNote } from '../components/error-note.js';
import { LoadOlder } from '../components/load-older.js';
import { TimeText } from '../components/time-text.js';
import { usePoll } from '../hooks/use-poll.js';

/** Bodies that arrived authenticated but failed to parse or validate, with why. */
export function RejectedPage() {
  const [rows, setRows] = useState<Rejected[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = async (from: string | null): Promise<void> => {
    setLoading(true);
    try {
      const page = await api<{ rejected: Rejected[]; nextCursor: string | null }>('GET', '/rejected', { query: { cursor: from, limit: 25 } });
      setRows((current) => (from ? [...current, ...page.rejected] : page.rejected));
      setCursor(page.nextCursor);
      setLoaded(true);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  usePoll(() => load(null), 30_000, []);

  return (
    <>
      <h1>Rejected bodies</h1>
      <p class="muted">Authenticated requests whose body was not JSON or did not match its schema. They are kept (the newest RELAY_REJECTED_KEEP) and never delivered.</p>
      <ErrorNote error={error} title="Rejected" />
      {rows.map((r) => (
        <section key={r.id} class="card rejected" aria-label={`Rejected body ${r.id}`}>
          <h2 class="h3">
            <code>{r.code}</code> <TimeText iso={r.receivedAt} />
          </h2>
          <p class="wrap">{r.reason}</p>
          <p class="muted">
            {r.contentType ?? 'no Content-Type'}
            {r.remoteAddr ? ` · from ${r.remoteAddr}` : ''} · {r.raw.length} characters
          </p>
          <pre class="code" tabIndex={0} aria-label="The body as text">
            {r.raw.length > 4000 ? `${r.raw.slice(0, 4000)}\n… (${r.raw.length - 4000} more characters)` : r.raw}
          </pre>
        </section>
      ))}
      {loaded ? <LoadOlder cursor={cursor} loading={loading} onLoad={() => load(cursor)} shown={rows.length} /> : null}
    </>
  );
}
