import { DEAD_REASONS } from '../../domain/dead-reason.js';
import { DELIVERY_STATUSES } from '../../domain/delivery.js';
import type { ErrorCode } from '../../errors.js';
import { WATCH_STATES } from '../../sessions/session-types.js';

/** Every error code an answer can carry; `internal` is the 500 of an unexpected fault. */
const ERROR_CODES = [
  'unauthorized',
  'payload_too_large',
  'unsupported_encoding',
  'invalid_json',
  'schema_invalid',
  'store_unavailable',
  'not_found',
  'method_not_allowed',
  'reserved_type',
  'bad_request',
  'rules_invalid',
  'config_invalid',
  'template_error',
] as const satisfies readonly ErrorCode[];
// A code added to errors.ts without being documented here fails the typecheck.
const documented: Exclude<ErrorCode, (typeof ERROR_CODES)[number]> extends never ? true : never = true;
void documented;

export const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

/** An object whose every property is required unless named optional, and nothing else. */
export function obj(properties: Record<string, unknown>, optional: string[] = [], description?: string): Record<string, unknown> {
  return { type: 'object', additionalProperties: false, required: Object.keys(properties).filter((k) => !optional.includes(k)), properties, ...(description ? { description } : {}) };
}

const str = { type: 'string' };
const time = { type: 'string', format: 'date-time' };
const nullable = (s: Record<string, unknown>): Record<string, unknown> => ({ ...s, type: [s['type'], 'null'] });
const int = { type: 'integer', minimum: 0 };
const list = (items: unknown): Record<string, unknown> => ({ type: 'array', items });
const cursor = { type: ['string', 'null'], description: 'Pass as `cursor` for the next (older) page; null: nothing older matches.' };

const SESSION_ID = {
  key: { type: 'string', description: 'app~room~conf, each part percent-encoded: the path of GET /admin/sessions/{key}.' },
  appId: str,
  roomId: str,
  confNum: str,
};
const TRANSFER_DESTINATION = obj({ name: str, host: str, account: str }, ['host', 'account']);

const DELIVERY = {
  id: { type: 'string', description: 'UUIDv7; the webhook-id receivers deduplicate on.' },
  eventId: str,
  destination: str,
  route: { type: ['string', 'null'], description: 'The route that chose it; null for the fallback.' },
  orderKey: nullable(str),
  status: ref('DeliveryStatus'),
  attempts: int,
  nextAttemptAt: nullable(time),
  leaseUntil: nullable(time),
  lastError: nullable(str),
  createdAt: time,
  updatedAt: time,
  replays: { ...int, description: 'How many times it was replayed after it was delivered: each such replay is a new message (a new webhook-id, Message-ID, Slack post).' },
  reason: { anyOf: [ref('DeadReason'), { type: 'null' }], description: 'Null unless dead.' },
};

export const schemas: Record<string, unknown> = {
  Error: obj({
    error: obj({ code: { enum: [...ERROR_CODES, 'internal'] }, message: str, details: list(ref('ErrorDetail')) }),
  }),
  ErrorDetail: obj({ path: { type: 'string', description: 'A JSON path (/recording/0), a field or parameter name, or file:line:column for rules.' }, message: str }, ['path']),
  DeliveryStatus: { enum: [...DELIVERY_STATUSES] },
  DeadReason: { enum: [...DEAD_REASONS], description: 'Why a delivery died: the failure reason its last error starts with, or other.' },
  Delivery: obj(DELIVERY),
  DeliveryDetail: obj({ ...DELIVERY, attemptLog: list(ref('Attempt')) }, [], 'A delivery with every attempt, oldest first.'),
  Attempt: obj({ attempt: int, startedAt: time, durationMs: int, outcome: { enum: ['success', 'retry', 'permanent'] }, statusCode: nullable({ type: 'integer' }), error: nullable(str) }),
  EventSummary: obj({ id: str, type: str, appId: str, roomId: str, confNum: str, receivedAt: time, deliveries: list(ref('Delivery')) }),
  Event: obj(
    {
      id: str,
      type: str,
      appId: str,
      roomId: str,
      confNum: str,
      occurredAt: nullable(time),
      receivedAt: time,
      files: list(obj({ url: str })),
      stage: { type: 'number' },
      fileSize: { type: 'number' },
      destination: TRANSFER_DESTINATION,
      body: { type: 'object', description: 'The body as EnableX sent it, parsed (secrets masked).' },
      contentType: nullable(str),
      dedupeKey: str,
      raw: { type: 'string', contentEncoding: 'base64', description: 'Only with ?raw=1: the bytes as received, base64 (secrets masked).' },
    },
    ['stage', 'fileSize', 'destination', 'raw'],
    'The normalized event.',
  ),
  DeadLetter: obj({
    eventId: str,
    type: str,
    appId: str,
    roomId: str,
    confNum: str,
    receivedAt: time,
    deliveryId: str,
    destination: str,
    route: nullable(str),
    attempts: int,
    lastError: nullable(str),
    reason: ref('DeadReason'),
    diedAt: time,
  }),
  DeadLetterGroup: obj({ destination: str, reason: ref('DeadReason'), count: int, oldestAt: time, newestAt: time, sampleError: nullable(str) }),
  ReloadResult: obj({ at: time, result: { enum: ['applied', 'unchanged', 'refused'] }, hash: nullable(str), errors: list(ref('ErrorDetail')), warnings: list(ref('ErrorDetail')) }),
  RulesStatus: obj({
    file: str,
    hash: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'sha256 of the file as loaded.' },
    loadedAt: time,
    lastError: { anyOf: [obj({ at: time, errors: list(ref('ErrorDetail')) }), { type: 'null' }], description: 'The last refused reload, until a later one succeeds.' },
    lastReload: { anyOf: [ref('ReloadResult'), { type: 'null' }] },
    destinations: list(obj({ name: str, kind: { enum: ['slack', 'email', 'http', 'log'] } })),
    routes: list(obj({ name: str, when: { type: 'object' }, to: list(str), stop: { type: 'boolean' } })),
    fallback: nullable(str),
    retry: obj({ scheduleMs: list(int) }),
    tests: { type: ['string', 'null'], description: 'The routing test cases file the rules name (`tests:`).' },
  }),
  RenderedMessage: obj({
    target: str,
    summary: str,
    payload: {
      description: "What the destination would send: Slack's message, the mail, the HTTP request, or a log line.",
      anyOf: [
        obj({ channel: str, text: str, blocks: list({ type: 'object' }) }, ['blocks'], 'slack'),
        obj({ from: str, to: list(str), cc: list(str), subject: str, text: str, html: str }, ['text', 'html'], 'email'),
        obj({ headers: { type: 'object', additionalProperties: str }, body: {} }, [], 'http'),
        { type: 'string', description: 'log' },
      ],
    },
  }),
  RouteTest: obj({
    event: obj({ id: str, type: str, appId: str, roomId: str, confNum: str, occurredAt: nullable(time) }),
    rulesHash: str,
    matched: list(obj({ route: str, destinations: list(str) })),
    deliveries: list(obj({ destination: str, route: nullable(str), message: ref('RenderedMessage'), error: str }, ['message', 'error'])),
    testCase: { type: 'string', description: 'YAML: a routing test case pinning where this event goes (enx-relay test).' },
  }),
  Rejected: obj({
    id: int,
    receivedAt: time,
    code: str,
    reason: str,
    contentType: nullable(str),
    remoteAddr: nullable(str),
    raw: { type: 'string', description: 'The body as UTF-8 text, invalid bytes replaced.' },
    rawBase64: { type: 'string', contentEncoding: 'base64' },
  }),
  Health: obj({
    at: time,
    intake: obj({ windowSeconds: int, received: int, atLeast: { type: 'boolean' } }),
    destinations: list(obj({ destination: str, kind: str, unfinished: int, oldestUnfinishedAt: nullable(time), dead: int, atLeast: { type: 'boolean' } })),
    cap: { type: 'integer', description: 'Counts stop here; atLeast says a count reached it.' },
    rules: obj({ hash: str, loadedAt: time, lastReload: { enum: ['applied', 'unchanged', 'refused', null] } }),
  }),
  SessionSummary: obj({ ...SESSION_ID, firstAt: time, lastAt: time, endedAt: nullable(time), events: { ...int, description: 'Events recorded (distinct bodies).' }, overdue: { ...int, description: 'Expectations overdue now.' } }),
  SessionEvent: obj({ id: str, type: str, receivedAt: time }),
  SessionWatch: obj(
    {
      name: { type: 'string', description: "The expectation's name in the rules." },
      afterType: str,
      thenType: str,
      afterAt: { ...time, description: 'When the `after` event that opened it arrived.' },
      dueAt: time,
      state: { enum: [...WATCH_STATES], description: 'waiting: not yet due; met: the `then` event came in time; overdue: past due without it; late: it came after the overdue (recovered owed); recovered: announced; cancelled: the expectation left the rules.' },
      updatedAt: time,
    },
    [],
    "One expectation's watch over the session.",
  ),
  Session: obj(
    {
      ...SESSION_ID,
      firstAt: time,
      lastAt: time,
      endedAt: { ...nullable(time), description: "The roomdrop's time; null while none came." },
      recordings: list(obj({ name: str, url: str, eventId: str })),
      transcoded: list(obj({ stage: nullable({ type: 'number' }), name: nullable(str), url: nullable(str), sizeBytes: nullable({ type: 'number' }), eventId: str })),
      transfers: list(obj({ destination: { anyOf: [TRANSFER_DESTINATION, { type: 'null' }] }, files: list(obj({ name: str, url: str })), eventId: str })),
      mirrored: list(
        obj({
          name: str,
          status: { enum: ['mirrored', 'failed', 'pending'] },
          location: nullable(str),
          sizeBytes: nullable({ type: 'number' }),
          reason: nullable(str),
          destination: nullable(str),
          target: nullable(str),
          eventId: str,
        }),
      ),
      unknown: { ...list(ref('SessionEvent')), description: 'Events of types the relay does not know.' },
      events: { ...list(ref('SessionEvent')), description: 'Every event of the session, by arrival.' },
      watches: list(ref('SessionWatch')),
    },
    [],
    "A session's record: a fold of its events, the same whatever order they came in.",
  ),
  Cursor: cursor,
};
