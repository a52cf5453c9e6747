import type { EventView } from '../../domain/event-view.js';
import { transferTarget } from '../messages/transfer-target.js';
import { aboutDestination } from '../../relay-events/relay-event.js';
import { MIRROR_FAILED, MIRRORED } from '../../relay-events/types/recording-mirror.js';

/** What happened so far in one video session, for the thread parent's status line. */
export interface SessionStatus {
  ended: boolean;
  recordings: number;
  transcoded: number;
  deliveredTo: string[];
  /** Mirror destinations that copied files of the session, and those where a copy failed. */
  mirroredTo: string[];
  mirrorFailed: string[];
  other: number;
}

export const emptyStatus = (): SessionStatus => ({ ended: false, recordings: 0, transcoded: 0, deliveredTo: [], mirroredTo: [], mirrorFailed: [], other: 0 });

export function addToStatus(s: SessionStatus, view: EventView): SessionStatus {
  switch (view.type) {
    case 'roomdrop':
      return { ...s, ended: true };
    case 'recording':
      return { ...s, recordings: s.recordings + view.files.length };
    case 'transcoded':
      return { ...s, transcoded: s.transcoded + 1 };
    case 'file-transfer': {
      const to = transferTarget(view.destination).short;
      return { ...s, deliveredTo: s.deliveredTo.includes(to) ? s.deliveredTo : [...s.deliveredTo, to] };
    }
    case MIRRORED:
      return { ...s, mirroredTo: addOnce(s.mirroredTo, aboutDestination(view)) };
    case MIRROR_FAILED:
      return { ...s, mirrorFailed: addOnce(s.mirrorFailed, aboutDestination(view)) };
    default:
      return { ...s, other: s.other + 1 };
  }
}

/** "ended · 2 recordings · 1 transcoded · delivered to S3" */
export function statusLine(s: SessionStatus): string {
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const parts = [
    s.ended ? 'ended' : '',
    s.recordings > 0 ? plural(s.recordings, 'recording', 'recordings') : '',
    s.transcoded > 0 ? `${s.transcoded} transcoded` : '',
    s.deliveredTo.length > 0 ? `delivered to ${s.deliveredTo.join(', ')}` : '',
    s.mirroredTo.length > 0 ? `copied to ${s.mirroredTo.join(', ')}` : '',
    s.mirrorFailed.length > 0 ? `copy to ${s.mirrorFailed.join(', ')} failed` : '',
    s.other > 0 ? plural(s.other, 'other event', 'other events') : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

function addOnce(list: string[], name: string | null): string[] {
  return name === null || list.includes(name) ? list : [...list, name];
}
