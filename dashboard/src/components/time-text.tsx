import { ago, formatTime } from '../format.js';

/** A time as "3 min ago", the exact local time (with its zone) on hover and for screen readers. */
export function TimeText({ iso, exact = false }: { iso: string | null; exact?: boolean }) {
  if (!iso) return <span class="muted">never</span>;
  const full = formatTime(iso);
  return (
    <time dateTime={iso} title={full}>
      {exact ? full : ago(iso)}
    </time>
  );
}
