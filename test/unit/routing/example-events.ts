import type { RelayEvent } from '../../../src/domain/event.js';
import { eventView, type EventView } from '../../../src/domain/event-view.js';

const common = { app_id: '64f0c1a2e7b9d81f2c3a4b5c', room_id: '6750a8f1c2d3e4f5a6b7c8d9', conf_num: '917345201' };
const recUrl = 'https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201';

/** The bodies of test/fixtures' EnableX samples, one per documented type, plus an unknown type. */
export const BODIES: Record<string, Record<string, unknown>> = {
  roomdrop: { type: 'roomdrop', trans_date: 1732700512, ...common },
  recording: { type: 'recording', trans_date: '1732700871', ...common, recording: [`${recUrl}/rec-1.mkv`, `${recUrl}/rec-2.mkv`] },
  transcoded: { type: 'transcoded', trans_date: 1732701190, ...common, recording: `${recUrl}/final-1.mp4`, stage: '1', file_size: '48213377' },
  'file-transfer': {
    type: 'file-transfer',
    trans_date: 1732702003,
    ...common,
    destination: { name: 'awss3', host: '', account: 'media-archive-prod' },
    files: [{ url: 'https://media-archive-prod.s3.amazonaws.com/6750a8f1c2d3e4f5a6b7c8d9/917345201/final-1.mp4' }],
  },
  'participant-join': { type: 'participant-join', trans_date: 1732700000, ...common, participant: 'alice' },
};

/** A normalized event built by hand (the ingest normalizer is not this folder's subject). */
export function exampleEvent(type: string, overrides: Record<string, unknown> = {}): RelayEvent {
  const body = { ...(BODIES[type] ?? { type, ...common }), ...overrides };
  const recording = body.recording;
  const files = Array.isArray(recording)
    ? recording.map((url) => ({ url: String(url) }))
    : typeof recording === 'string'
      ? [{ url: recording }]
      : Array.isArray(body.files)
        ? (body.files as { url: string }[]).map((f) => ({ url: f.url }))
        : [];
  const raw = Buffer.from(JSON.stringify(body));
  const event: RelayEvent = {
    id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    type: String(body.type),
    appId: String(body.app_id),
    roomId: String(body.room_id),
    confNum: String(body.conf_num),
    occurredAt: new Date(Number(body.trans_date) * 1000).toISOString(),
    receivedAt: '2024-11-27T10:00:00.000Z',
    files,
    body,
    raw,
    contentType: 'application/json',
    dedupeKey: `k-${type}`,
  };
  if (body.stage !== undefined) event.stage = Number(body.stage);
  if (body.file_size !== undefined) event.fileSize = Number(body.file_size);
  if (body.destination) event.destination = body.destination as RelayEvent['destination'] & object;
  return event;
}

export function exampleView(type: string, overrides: Record<string, unknown> = {}): EventView {
  return eventView(exampleEvent(type, overrides));
}

export const EXAMPLES: RelayEvent[] = ['roomdrop', 'recording', 'transcoded', 'file-transfer'].map((t) => exampleEvent(t));
