import { parseArgs } from 'node:util';
import { BadRequestError } from '../errors.js';
import { KNOWN_TYPES, type KnownType } from '../domain/event.js';
import { exampleBodies } from '../ingest/examples.js';

/**
 * `enx-relay send --example recording`: post a realistic sample to a running relay. `trans_date`
 * is set to now (plus the index for --count), so repeated tries are new events, not duplicates;
 * `--as-is` sends the example unchanged.
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      example: { type: 'string' },
      url: { type: 'string' },
      count: { type: 'string', default: '1' },
      'as-is': { type: 'boolean', default: false },
    },
  });
  const type = values.example;
  if (!type || !(KNOWN_TYPES as readonly string[]).includes(type)) {
    throw new BadRequestError(`--example must be one of ${KNOWN_TYPES.join(', ')}`);
  }
  const url = webhookUrl(values.url ?? `http://127.0.0.1:${process.env['RELAY_PORT'] || 8080}`);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const user = process.env['RELAY_INGEST_USER'];
  const password = process.env['RELAY_INGEST_PASSWORD'];
  if (user && password) headers['authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const count = Math.max(1, Math.min(10_000, Number(values.count) || 1));
  const now = Math.floor(Date.now() / 1000);
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const body = { ...exampleBodies()[type as KnownType] };
    if (!values['as-is']) body['trans_date'] = now + i;
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    } catch (err) {
      console.error(`enx-relay: cannot reach ${url}: ${reason(err as Error)} (is the relay running? npm start)`);
      return 1;
    }
    const text = await res.text();
    console.log(`${res.status} ${text}`);
    if (!res.ok) failed++;
  }
  return failed === 0 ? 0 : 1;
}

/** The relay's base URL (what it logs when it starts) means its webhook path. */
function webhookUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new BadRequestError(`--url: "${raw}" is not a URL such as http://127.0.0.1:8080/webhooks/enablex`);
  }
  if (u.pathname === '/') u.pathname = '/webhooks/enablex';
  return u.toString();
}

/** fetch hides the network error in `cause`; with IPv4 and IPv6 both refused it is an AggregateError with no message. */
function reason(err: Error): string {
  const cause = err.cause;
  if (cause instanceof AggregateError) return [...new Set(cause.errors.map((e: Error) => e.message))].join('; ') || String((cause as { code?: string }).code);
  if (cause instanceof Error) return cause.message;
  return err.message;
}
