const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 48213377 -> "46.0 MiB"; non-numbers -> "". */
export function formatBytes(v: unknown): string {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  let x = n;
  let i = 0;
  while (x >= 1024 && i < UNITS.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x.toFixed(1)} ${UNITS[i]}`;
}
