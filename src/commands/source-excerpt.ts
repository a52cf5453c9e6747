import { escapeControl } from '../logging/control-chars.js';

/**
 * The line an error points at, and a caret under its column, as compilers show them. `mask`
 * hides secrets written literally in that line. Null when the position is not in this file.
 */
export function sourceExcerpt(text: string, file: string, path: string | undefined, mask: (s: string) => string): string | null {
  if (!path?.startsWith(`${file}:`)) return null;
  const m = /:(\d+):(\d+)$/.exec(path);
  if (!m) return null;
  const line = text.split('\n')[Number(m[1]) - 1];
  if (line === undefined) return null;
  const before = escapeControl(line.slice(0, Number(m[2]) - 1)).replace(/\\t/g, '    ');
  const shown = escapeControl(mask(line.replace(/\r$/, ''))).replace(/\\t/g, '    ');
  return `    ${shown}\n    ${' '.repeat(before.length)}^`;
}
