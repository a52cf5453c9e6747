import { DEAD_REASONS } from '../../domain/dead-reason.js';
import { DELIVERY_STATUSES } from '../../domain/delivery.js';
import { GROUP_CAP, SCAN_BUDGET } from '../../store/admin-types.js';
import { MAX_SELECTION } from '../admin/replay-routes.js';
import { obj, ref } from './components.js';

const json = (schema: unknown, description: string): Record<string, unknown> => ({ description, content: { 'application/json': { schema } } });
const ERRORS: Record<string, string> = {
  '400': 'A bad parameter or body: each detail names it (an unknown query parameter too)',
  '401': 'No admin token, or a wrong one (WWW-Authenticate: Bearer)',
  '404': 'Not found',
  '413': 'The body is larger than RELAY_MAX_BODY',
  '415': 'A Content-Encoding the relay cannot decode',
  '422': 'Understood but refused: a rules file or an event that fails its checks',
  '503': 'The store is unavailable; try again (Retry-After)',
};
const errors = (...codes: string[]): Record<string, unknown> => Object.fromEntries(codes.map((c) => [c, json(ref('Error'), ERRORS[c]!)]));
const query = (name: string, schema: unknown, description: string): Record<string, unknown> => ({ name, in: 'query', required: false, schema, description });
const limit = (dflt: number, max: number): Record<string, unknown> =>
  query('limit', { type: 'integer', minimum: 1, maximum: max, default: dflt }, `Page size, ${dflt} by default; above ${max} is a 400.`);
const cursor = query('cursor', { type: 'string' }, 'The `nextCursor` of the previous page.');
const when = (name: string, what: string): Record<string, unknown> => query(name, { type: 'string' }, `${what}: a duration (2h: that long ago) or an ISO-8601 time.`);
const page = (items: string, schema: string): Record<string, unknown> => obj({ [items]: { type: 'array', items: ref(schema) }, nextCursor: ref('Cursor') });

/** Every operation of the admin API; the admin-api tests check each answer against it. */
export const adminPaths: Record<string, Record<string, unknown>> = {
  '/admin/events': {
    get: {
      summary: 'Events newest first, with their deliveries, one page at a time',
      description:
        `Each page reads at most ${SCAN_BUDGET.toLocaleString('en-US')} entries of the index of its rarest filter, so a page with rare filters may hold fewer events than \`limit\` (even none) and still have a \`nextCursor\`: follow it.`,
      parameters: [
        query('status', { enum: [...DELIVERY_STATUSES] }, 'Only events with a delivery in this status.'),
        query('type', { type: 'string' }, 'EnableX event type.'),
        query('app_id', { type: 'string' }, 'EnableX app id.'),
        query('room_id', { type: 'string' }, 'EnableX room id.'),
        when('since', 'Received at or after'),
        when('until', 'Received before'),
        cursor,
        limit(50, 500),
      ],
      responses: { '200': json(page('events', 'EventSummary'), 'A page of events'), ...errors('400', '401', '503') },
    },
  },
  '/admin/events/{id}': {
    get: {
      summary: 'One event: normalized, its deliveries and every attempt of each',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, query('raw', { enum: ['1', '0'] }, '1: add the bytes as received (base64).')],
      responses: {
        '200': json(
          obj({ event: ref('Event'), deliveries: { type: 'array', items: ref('DeliveryDetail') } }),
          'The event',
        ),
        ...errors('400', '401', '404', '503'),
      },
    },
  },
  '/admin/sessions': {
    get: {
      summary: 'Video sessions, the most recently active first, one page at a time',
      description: 'A page reads a bounded window of an index, so with rare filters it may hold fewer sessions than `limit` (even none) and still have a `nextCursor`: follow it.',
      parameters: [
        query('app_id', { type: 'string' }, 'EnableX app id.'),
        query('room_id', { type: 'string' }, 'EnableX room id.'),
        query('overdue', { enum: ['1', '0', 'true', 'false'] }, '1: only sessions with an expectation overdue now.'),
        cursor,
        limit(50, 500),
      ],
      responses: { '200': json(page('sessions', 'SessionSummary'), 'A page of sessions'), ...errors('400', '401', '503') },
    },
  },
  '/admin/sessions/{key}': {
    get: {
      summary: "One session's record: its events by arrival, what they told, each expectation's watch",
      parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' }, description: 'The `key` of a listed session (app~room~conf, each part percent-encoded), itself percent-encoded in the path.' }],
      responses: { '200': json(obj({ session: ref('Session') }), 'The session'), ...errors('400', '401', '404', '503') },
    },
  },
  '/admin/dead-letters': {
    get: {
      summary: 'Dead deliveries, newest event first',
      parameters: [query('destination', { type: 'string' }, 'Only this destination.'), query('reason', { enum: [...DEAD_REASONS] }, 'Only this reason.'), cursor, limit(50, 500)],
      responses: { '200': json(page('deadLetters', 'DeadLetter'), 'A page of dead letters'), ...errors('400', '401', '503') },
    },
  },
  '/admin/dead-letters/groups': {
    get: {
      summary: 'Dead deliveries counted by destination and reason',
      description: `Counted over the newest ${GROUP_CAP.toLocaleString('en-US')} dead deliveries; \`truncated\` when there are more.`,
      parameters: [query('destination', { type: 'string' }, 'Only this destination.')],
      responses: { '200': json(obj({ groups: { type: 'array', items: ref('DeadLetterGroup') }, truncated: { type: 'boolean' } }), 'The groups, most first'), ...errors('400', '401', '503') },
    },
  },
  '/admin/replay': {
    post: {
      summary: 'Put deliveries back to pending, due now (as `enx-relay replay`)',
      description: 'No filter: the dead letters. `eventId` or `deliveryIds` alone: every delivery they name. Deliveries being delivered are never touched. `dryRun` counts only.',
      requestBody: {
        required: false,
        content: {
          'application/json': {
            schema: obj(
              {
                status: { enum: [...DELIVERY_STATUSES, null] },
                destination: { type: ['string', 'null'] },
                since: { type: ['string', 'null'], description: 'A duration (2h) or an ISO-8601 time: events received since.' },
                eventId: { type: ['string', 'null'] },
                deliveryIds: { type: ['array', 'null'], items: { type: 'string' }, minItems: 1, maxItems: MAX_SELECTION },
                reason: { enum: [...DEAD_REASONS, null] },
                dryRun: { type: ['boolean', 'null'] },
              },
              ['status', 'destination', 'since', 'eventId', 'deliveryIds', 'reason', 'dryRun'],
            ),
          },
        },
      },
      responses: { '200': json(obj({ replayed: { type: 'integer', minimum: 0 }, dryRun: { type: 'boolean' } }), 'How many were (dryRun: would be) replayed'), ...errors('400', '401', '413', '503') },
    },
  },
  '/admin/rules': {
    get: { summary: 'The rules in force (destinations by name and kind: their options hold secrets)', responses: { '200': json(ref('RulesStatus'), 'The rules status'), ...errors('400', '401') } },
  },
  '/admin/rules/source': {
    get: {
      summary: 'The text of the rules in force, as loaded, secrets masked',
      responses: { '200': json(obj({ file: { type: 'string' }, hash: { type: 'string' }, loadedAt: { type: 'string', format: 'date-time' }, text: { type: ['string', 'null'] } }), 'The rules text'), ...errors('400', '401') },
    },
  },
  '/admin/rules/reload': {
    post: {
      summary: 'Read the rules file again; a file that fails its checks is refused and the rules in force stay',
      responses: {
        '200': json(obj({ applied: { const: true }, hash: { type: 'string' }, changed: { type: 'boolean' }, warnings: { type: 'array', items: ref('ErrorDetail') } }), 'Applied'),
        ...errors('400', '401', '404', '422'),
      },
    },
  },
  '/admin/route-test': {
    post: {
      summary: 'Route an event by the rules in force and render each message; nothing is sent or stored',
      requestBody: { required: true, description: 'An EnableX event, read as the webhook reads it (any Content-Type).', content: { 'application/json': { schema: { type: 'object' } } } },
      responses: { '200': json(ref('RouteTest'), 'Matched routes and rendered messages'), ...errors('400', '401', '413', '415', '422') },
    },
  },
  '/admin/rejected': {
    get: {
      summary: 'Bodies that failed to parse or validate, newest first',
      parameters: [cursor, limit(50, 500)],
      responses: { '200': json(page('rejected', 'Rejected'), 'A page of rejected bodies'), ...errors('400', '401', '503') },
    },
  },
  '/admin/examples': {
    get: {
      summary: 'One sample body per documented event type',
      responses: { '200': json(obj({ examples: { type: 'array', items: obj({ type: { type: 'string' }, body: { type: 'object' } }) } }), 'The examples'), ...errors('400', '401') },
    },
  },
  '/admin/health': {
    get: { summary: "The dashboard's health strip: intake and each destination's backlog", responses: { '200': json(ref('Health'), 'Health'), ...errors('400', '401', '503') } },
  },
};

export { json, errors };
