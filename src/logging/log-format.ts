import { createRequire } from 'node:module';
import type * as PinoPretty from 'pino-pretty';
import { escapeControl, escapeControlDeep } from './control-chars.js';

/** `RELAY_LOG_FORMAT`: JSON lines for programs, or lines people read. */
export type LogFormat = 'json' | 'pretty';

export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** The format chosen, or by the stream: a terminal gets readable lines, a pipe or a file JSON. */
export function resolveLogFormat(chosen: LogFormat | null | undefined, stream: NodeJS.WritableStream): LogFormat {
  return chosen ?? ((stream as { isTTY?: boolean }).isTTY ? 'pretty' : 'json');
}

/**
 * A finished JSON log line -> one readable line: local time with its offset, level, message, then
 * the other fields. Every string is shown with its control characters escaped first, so a value
 * from an event can neither start a line of its own nor drive the terminal.
 */
export function prettyPrinter(opts: { colorize: boolean }): (jsonLine: string) => string {
  // Loaded only for readable lines: a relay logging JSON (under a process manager) never loads it.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  const prettify = prettyFactory({
    colorize: opts.colorize,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l o',
    ignore: 'pid,hostname,service',
    singleLine: true,
  });
  return (line) => {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      return `${escapeControl(line.replace(/\n$/, ''))}\n`;
    }
    return prettify(escapeControlDeep(obj));
  };
}
