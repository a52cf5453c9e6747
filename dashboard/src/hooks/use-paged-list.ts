import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { usePoll } from './use-poll.js';

const PAGE = 50;
/** A short page (a rare filter) is continued at once, a few times, before asking for a click. */
const FILL_TRIES = 4;

export interface PagedListOptions<T, P extends { nextCursor: string | null }> {
  /** The admin API list, e.g. `/events`. */
  path: string;
  /** Its query: the filters in force (a new one starts the list again). */
  filter: object;
  /** The rows of one page of the answer. */
  rows: (page: P) => T[];
  keyOf: (row: T) => string;
  /** The list's order, newest first: is `a` further down than `b`? */
  older: (a: T, b: T) => boolean;
  everyMs: number;
  /** Each time the top of the list comes back (`first`: the first time for this filter). */
  onTop?: (top: T[], first: boolean) => void;
}

export interface PagedList<T> {
  rows: T[];
  cursor: string | null;
  loaded: boolean;
  loading: boolean;
  error: unknown;
  loadOlder(): Promise<void>;
  /** Forget what is shown: call it with the new filter (the list starts again from the top). */
  restart(): void;
}

/**
 * A list of the admin API by cursor pages, newest first. While the page is open its top is asked
 * for again every `everyMs`: authoritative for the rows it covers (a row that moved up leaves its
 * old place), the older rows kept as loaded until they come back into view. A new filter (the
 * caller's state, with restart()) starts again from the top.
 */
export function usePagedList<T, P extends { nextCursor: string | null }>(o: PagedListOptions<T, P>): PagedList<T> {
  const [rows, setRows] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const fetchPage = async (from: string | null): Promise<{ rows: T[]; nextCursor: string | null }> => {
    const out: T[] = [];
    let next = from;
    for (let i = 0; i < FILL_TRIES && out.length < PAGE; i++) {
      const page = await api<P>('GET', o.path, { query: { ...(o.filter as Record<string, string>), limit: PAGE, cursor: next } });
      out.push(...o.rows(page));
      next = page.nextCursor;
      if (!next) break;
    }
    return { rows: out, nextCursor: next };
  };

  usePoll(
    async () => {
      try {
        const top = await fetchPage(null);
        setError(null);
        setRows((current) => {
          if (!loaded || !top.nextCursor) return top.rows;
          const last = top.rows[top.rows.length - 1];
          const onTop = new Set(top.rows.map(o.keyOf));
          return [...top.rows, ...current.filter((r) => !onTop.has(o.keyOf(r)) && (!last || o.older(r, last)))];
        });
        if (!loaded || !top.nextCursor) setCursor(top.nextCursor);
        o.onTop?.(top.rows, !loaded);
        setLoaded(true);
      } catch (err) {
        setError(err);
      }
    },
    o.everyMs,
    [o.filter],
  );

  const loadOlder = async (): Promise<void> => {
    setLoading(true);
    try {
      const page = await fetchPage(cursor);
      setRows((current) => {
        const have = new Set(current.map(o.keyOf));
        return [...current, ...page.rows.filter((r) => !have.has(o.keyOf(r)))];
      });
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  const restart = (): void => {
    setLoaded(false);
    setRows([]);
  };

  return { rows, cursor, loaded, loading, error, loadOlder, restart };
}
