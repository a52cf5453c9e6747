import type { RelayEvent } from '../../domain/event.js';
import { escapeControl, escapeControlInJson } from '../../logging/control-chars.js';
import type { LogFormat } from '../../logging/log-format.js';

/**
 * One `log` delivery as written to standard output, with nothing an event value can use to start
 * a line of its own or drive a terminal. JSON: shaped like the relay's own log lines (level,
 * time, service, msg) so one filter reads both; `event` holds the event's fields for `format:
 * json`. Readable: `[name] text`, control characters escaped.
 */
export function printedLine(stdout: LogFormat, name: string, event: RelayEvent, content: string | Record<string, unknown>, at: Date): string {
  if (stdout === 'json') {
    const fields = typeof content === 'string' ? { msg: content } : { event: content, msg: 'event' };
    return `${escapeControlInJson(JSON.stringify({ level: 30, time: at.getTime(), service: 'enx-relay', destination: name, event_id: event.id, ...fields }))}\n`;
  }
  const text = typeof content === 'string' ? content : escapeControlInJson(JSON.stringify(content));
  return `[${escapeControl(name)}] ${escapeControl(text)}\n`;
}
