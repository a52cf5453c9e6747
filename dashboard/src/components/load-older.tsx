/** "Load older" under a list: what a cursor page continues with, and why a page may be short. */
export function LoadOlder({ cursor, loading, onLoad, shown }: { cursor: string | null; loading: boolean; onLoad: () => void; shown: number }) {
  if (!cursor) return <p class="muted list-end">{shown === 0 ? 'Nothing matches.' : 'That is all.'}</p>;
  return (
    <p class="list-end">
      <button type="button" onClick={onLoad} disabled={loading}>
        {loading ? 'Loading…' : 'Load older'}
      </button>
    </p>
  );
}
