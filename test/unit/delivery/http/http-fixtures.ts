import { readFileSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import type { DestinationSpec } from '../../../../src/config/rules-types.js';
import type { CheckContext } from '../../../../src/delivery/destination.js';
import type { ClaimedDelivery } from '../../../../src/domain/delivery.js';
import type { RelayEvent } from '../../../../src/domain/event.js';

/** The fixture's bytes as EnableX sent them (indentation and all), and a hand-normalized event. */
export function fixtureEvent(type: 'roomdrop' | 'recording' | 'transcoded' | 'file-transfer', contentType: string | null = 'application/json'): RelayEvent {
  const raw = readFileSync(new URL(`../../../fixtures/enablex/${type}.json`, import.meta.url));
  const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  const urls = Array.isArray(body.files)
    ? (body.files as { url: string }[]).map((f) => f.url)
    : ([] as unknown[]).concat(body.recording ?? []).map(String);
  return {
    id: uuidv7(),
    type,
    appId: String(body.app_id),
    roomId: String(body.room_id),
    confNum: String(body.conf_num),
    occurredAt: new Date(Number(body.trans_date) * 1000).toISOString(),
    receivedAt: new Date().toISOString(),
    files: urls.map((url) => ({ url })),
    ...(body.stage !== undefined ? { stage: Number(body.stage) } : {}),
    ...(body.file_size !== undefined ? { fileSize: Number(body.file_size) } : {}),
    ...(body.destination ? { destination: body.destination as RelayEvent['destination'] } : {}),
    body,
    raw,
    contentType,
    dedupeKey: `key-${uuidv7()}`,
  };
}

export const allExamples = (): RelayEvent[] => (['roomdrop', 'recording', 'transcoded', 'file-transfer'] as const).map((t) => fixtureEvent(t));

export function claimed(event: RelayEvent, over: Partial<ClaimedDelivery> = {}): ClaimedDelivery {
  const now = new Date().toISOString();
  return {
    id: uuidv7(),
    destination: 'archive',
    route: 'archive everything',
    orderKey: null,
    eventId: event.id,
    status: 'delivering',
    attempts: 1,
    claim: 1,
    nextAttemptAt: null,
    leaseUntil: null,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    replays: 0,
    event,
    ...over,
  };
}

export function httpSpec(options: Record<string, unknown>): DestinationSpec {
  return { name: 'archive', kind: 'http', options, pos: { file: 'rules.yaml', line: 3, column: 5 } };
}

export function checkContext(examples = allExamples()): CheckContext {
  return { posOf: (path) => `rules.yaml:${path.join('.')}`, examples, env: {} };
}

/** A valid Standard Webhooks secret (24 bytes). */
export const SECRET = 'whsec_' + Buffer.from('0123456789abcdefghijklmn').toString('base64');
