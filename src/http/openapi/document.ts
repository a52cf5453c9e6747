import { version } from '../../version.js';
import { adminPaths, errors, json } from './admin-paths.js';
import { obj, ref, schemas } from './components.js';

const text = (description: string): Record<string, unknown> => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } });

/**
 * The OpenAPI 3.1 document of the intake and the admin API, served at /openapi.json. It names no
 * secret and no setting's value. Kept true by the integration tests: every admin answer they get
 * is validated against it (test/support/openapi-check.ts), and every admin route must be here.
 */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'enx-relay',
      version,
      description: 'Relays EnableX video notification webhooks to Slack, email and HTTP by YAML rules. The admin API exists only when RELAY_ADMIN_TOKEN is set.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    paths: {
      '/webhooks/enablex': {
        post: {
          summary: 'EnableX posts one notification',
          description: 'Answered 200 only once the event and its deliveries are durably stored. A body identical to one received within the dedupe window answers the first id with duplicate: true.',
          security: [{ ingestBasic: [] }, {}],
          requestBody: { required: true, description: 'The JSON EnableX sends, whatever its Content-Type.', content: { 'application/json': { schema: { type: 'object' } } } },
          responses: {
            '200': json(obj({ id: { type: 'string' }, duplicate: { type: 'boolean' }, deliveries: { type: 'integer', minimum: 0 } }), 'Stored'),
            '400': json(ref('Error'), 'Not JSON'),
            ...errors('401', '413', '415', '422', '503'),
          },
        },
      },
      '/healthz': { get: { summary: 'The process is up', security: [], responses: { '200': json(obj({ status: { const: 'ok' } }), 'Up') } } },
      '/readyz': {
        get: {
          summary: 'The store answers and rules are loaded',
          security: [],
          responses: Object.fromEntries(['200', '503'].map((s) => [s, json(obj({ status: { enum: ['ready', 'not ready'] }, checks: { type: 'object', additionalProperties: { type: 'string' } } }), s === '200' ? 'Ready' : 'Not ready')])),
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { '200': text('The Prometheus text format') } } },
      '/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': json({ type: 'object' }, 'OpenAPI 3.1') } } },
      ...adminPaths,
    },
    components: {
      schemas,
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'RELAY_ADMIN_TOKEN' },
        ingestBasic: { type: 'http', scheme: 'basic', description: 'RELAY_INGEST_USER / RELAY_INGEST_PASSWORD; unset, the intake is open' },
      },
    },
    security: [{ adminToken: [] }],
  };
}
