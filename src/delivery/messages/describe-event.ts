import type { EventView } from '../../domain/event-view.js';
import { formatBytes } from '../../templates/format.js';
import { describeRelayEvent } from '../../relay-events/catalog.js';
import { isRelayType } from '../../relay-events/relay-event.js';
import type { EventDescription, Fact } from './event-description.js';
import { fileName, isLinkable } from './file-name.js';
import { transferTarget } from './transfer-target.js';

export type { DescribedFile, EventDescription, Fact } from './event-description.js';

const CREDENTIALS_NOTE = 'Portal links need the "recording access" credentials of the EnableX project: a plain request gets 403.';

export function describeEvent(view: EventView): EventDescription {
  const room = text(view.room_id);
  const conf = text(view.conf_num);
  const where = `room ${room} (conference ${conf})`;
  const files = view.files.map((url) => ({ url, name: fileName(url), linkable: isLinkable(url) }));
  const n = files.length;
  const ids: Fact[] = [
    { label: 'Room', value: room },
    { label: 'Conference', value: conf },
    { label: 'App', value: text(view.app_id) },
  ];
  const at = (label: string): Fact[] => (view.occurred_at ? [{ label, value: view.occurred_at, time: view.occurred_at }] : []);
  const until: Fact[] = view.expires_at ? [{ label: 'Links work until', value: view.expires_at, time: view.expires_at }] : [];
  const expiryNote = view.expires_at ? [] : ['Portal links stop working 72 h after the files are ready.'];

  switch (view.type) {
    case 'roomdrop':
      return {
        ...base(view, 'Session ended', `The video session in ${where} has ended.`),
        facts: [...ids, ...at('Ended')],
        files,
        notes: [`Its call detail record is available from the EnableX API: GET /video/v2/cdr/conf/${conf}`],
      };
    case 'recording':
      return {
        ...base(view, 'Recording ready', `${count(n, 'recording file')} ${n === 1 ? 'is' : 'are'} ready for ${where}.`),
        facts: [...ids, { label: 'Files', value: String(n) }, ...at('Ready'), ...until],
        files,
        expiresAt: view.expires_at,
        notes: [CREDENTIALS_NOTE, ...expiryNote],
      };
    case 'transcoded': {
      const size = formatBytes(view.file_size_bytes);
      const stage = text(view.stage, '');
      const what = `Transcoded file${stage ? ` ${stage}` : ''}${size ? ` (${size})` : ''}`;
      return {
        ...base(view, 'Transcoded file ready', `${what} is ready for ${where}.`),
        facts: [...ids, ...(stage ? [{ label: 'Stage', value: stage }] : []), ...(size ? [{ label: 'Size', value: size }] : []), ...at('Ready'), ...until],
        files,
        expiresAt: view.expires_at,
        notes: [CREDENTIALS_NOTE, ...expiryNote],
      };
    }
    case 'file-transfer': {
      const target = transferTarget(view.destination);
      return {
        ...base(view, `Files delivered to ${target.short}`, `${count(n, 'file')} ${n === 1 ? 'was' : 'were'} delivered to ${target.label} for ${where}.`),
        facts: [...ids, { label: 'Delivered to', value: target.label }, { label: 'Files', value: String(n) }, ...at('Delivered')],
        files,
        notes: [`On that storage the files are under <root>/${room}/${conf}/.`],
      };
    }
    default:
      if (isRelayType(view.type)) return describeRelayEvent(view);
      // EnableX adds event kinds over time: say plainly what arrived, claim nothing more.
      return {
        ...base(view, `EnableX event: ${text(view.type)}`, `EnableX sent a "${text(view.type)}" event for ${where}.`),
        known: false,
        facts: [{ label: 'Type', value: text(view.type) }, ...ids, ...at('At')],
        files,
        notes: [],
      };
  }
}

function base(view: EventView, title: string, headline: string): EventDescription {
  return { type: view.type, known: true, title, headline, facts: [], files: [], expiresAt: null, notes: [] };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function text(v: unknown, dflt = '?'): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : dflt;
}
