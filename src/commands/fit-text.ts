import { escapeControl } from '../logging/control-chars.js';

/** Columns the output may use: the terminal's width, else COLUMNS, else no limit (a pipe, a file). */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout, env: Record<string, string | undefined> = process.env): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const n = Number(env['COLUMNS']);
  return Number.isInteger(n) && n > 0 ? n : Infinity;
}

/** One line of display text: control characters escaped, runs of whitespace as one space. */
export function oneLine(s: string): string {
  return escapeControl(s.replace(/\s+/g, ' ').trim());
}

/**
 * `s` in at most `width` characters, cut in the middle: an error's start (its code, the status)
 * and its end (what the receiver said, the final cause) are the parts worth reading.
 */
export function fitMiddle(s: string, width: number): string {
  if (s.length <= width) return s;
  if (width <= 1) return s.slice(0, Math.max(0, width));
  const head = Math.floor((width - 1) * 0.4);
  return `${s.slice(0, head)}…${s.slice(s.length - (width - 1 - head))}`;
}
