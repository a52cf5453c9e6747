import type { RelayEvent } from '../../domain/event.js';
import { eventView } from '../../domain/event-view.js';
import { describeRelayEvent, relaySummary } from '../../relay-events/catalog.js';
import { isRelayEvent } from '../../relay-events/relay-event.js';
import { formatBytes } from '../../templates/format.js';

const TITLES: Record<string, string> = {
  roomdrop: 'session ended',
  recording: 'recording ready',
  transcoded: 'transcoded file ready',
  'file-transfer': 'files delivered',
};

/** "recording ready · app 64f0… · room 6750… · conf 917345201 · 2 files · at 2024-11-27T09:47:51.000Z" */
export function logLine(e: RelayEvent): string {
  if (isRelayEvent(e)) return relayLine(e);
  const parts = [TITLES[e.type] ?? `event "${e.type}"`, `app ${e.appId}`, `room ${e.roomId}`, `conf ${e.confNum}`];
  if (e.stage !== undefined) parts.push(`stage ${e.stage}`);
  if (e.fileSize !== undefined) parts.push(formatBytes(e.fileSize));
  if (e.destination) parts.push(`to ${e.destination.name}${e.destination.host || e.destination.account ? ` (${e.destination.host || e.destination.account})` : ''}`);
  if (e.files.length > 0) parts.push(`${e.files.length} file${e.files.length === 1 ? '' : 's'}: ${e.files.map((f) => f.url).join(' ')}`);
  parts.push(`at ${e.occurredAt ?? e.receivedAt}`);
  parts.push(`id ${e.id}`);
  return parts.join(' · ');
}

/** "recording mirrored · app … · room … · conf … · 2 files (46.0 MiB) to s3://… · at … · id …" */
function relayLine(e: RelayEvent): string {
  const view = eventView(e);
  const parts = [describeRelayEvent(view).title.toLowerCase()];
  if (e.roomId || e.confNum) parts.push(`app ${e.appId}`, `room ${e.roomId}`, `conf ${e.confNum}`);
  const summary = relaySummary(view);
  if (summary) parts.push(summary);
  parts.push(`at ${e.occurredAt ?? e.receivedAt}`, `id ${e.id}`);
  return parts.join(' · ');
}
