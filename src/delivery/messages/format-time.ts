/** "2024-11-27 09:47 UTC": readers in any time zone see the same unambiguous value. */
export function formatTime(iso: string | null): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const s = new Date(t).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

/** A fact's value as plain text. */
export function factText(f: { value: string; time?: string }): string {
  return (f.time && formatTime(f.time)) || f.value;
}
