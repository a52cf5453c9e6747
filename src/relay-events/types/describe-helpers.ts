import type { EventView } from '../../domain/event-view.js';
import type { Fact } from '../../delivery/messages/event-description.js';

/** Room, conference and app, when the relay event is about a session. */
export function sessionFacts(view: EventView): Fact[] {
  if (!view.room_id && !view.conf_num) return [];
  return [
    { label: 'Room', value: text(view.room_id) },
    { label: 'Conference', value: text(view.conf_num) },
    { label: 'App', value: text(view.app_id) },
  ];
}

/** "room R (conference C)" */
export function where(view: EventView): string {
  return `room ${text(view.room_id)} (conference ${text(view.conf_num)})`;
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function text(v: unknown, dflt = '?'): string {
  return (typeof v === 'string' && v !== '') || typeof v === 'number' ? String(v) : dflt;
}
