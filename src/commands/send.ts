import { KNOWN_TYPES, type KnownType } from '../domain/event.js';
import { exampleBodies } from '../ingest/examples.js';
import { escapeControl } from '../logging/control-chars.js';
import { intOption, parseCommandArgs } from './args.js';
import { CommandFailure, UsageError } from './command-errors.js';
import { EXIT } from './exit-codes.js';

export const usage = `Usage: enx-relay send --example TYPE [--url URL] [--count N] [--as-is] [--json]

Posts a realistic sample event (roomdrop, recording, transcoded, file-transfer) to a running
relay and prints each answer. Each sample gets trans_date = now in milliseconds, so repeated
sends are new events, not duplicates; --as-is sends the sample unchanged (a duplicate the
second time). Basic credentials come from RELAY_INGEST_USER and RELAY_INGEST_PASSWORD, as the
relay itself reads them.

Options:
  --example TYPE  which sample
  --url URL       the relay (default http://127.0.0.1:$RELAY_PORT, 8080): its base URL or
                  the webhook URL
  --count N       how many (default 1, at most 10000)
  --as-is         send the sample exactly as written in its schema
  --json          one JSON line per answer: {status, body}`;

/** `enx-relay send --example recording`: post a realistic sample to a running relay. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    options: { example: { type: 'string' }, url: { type: 'string' }, count: { type: 'string' }, 'as-is': { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const type = values.example;
  if (!type || !(KNOWN_TYPES as readonly string[]).includes(type)) throw new UsageError(`--example must be one of ${KNOWN_TYPES.join(', ')}`);
  const count = intOption('--count', values.count, 1, 1, 10_000);
  const url = webhookUrl(values.url ?? `http://127.0.0.1:${process.env['RELAY_PORT']?.trim() || 8080}`);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const user = process.env['RELAY_INGEST_USER']?.trim();
  const password = process.env['RELAY_INGEST_PASSWORD']?.trim();
  if (user && password) headers['authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const start = Date.now();
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const body = exampleBodies()[type as KnownType];
    // Milliseconds, in the sample's own type (number or numeric string): distinct each time.
    if (!values['as-is']) body['trans_date'] = typeof body['trans_date'] === 'string' ? String(start + i) : start + i;
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    } catch (err) {
      throw new CommandFailure(`cannot reach ${url}: ${reason(err as Error)} (is the relay running? npm start)`);
    }
    const text = await res.text();
    console.log(values.json ? JSON.stringify({ status: res.status, body: parsed(text) }) : `${res.status} ${escapeControl(text)}`);
    if (res.status === 401) {
      console.error(
        headers['authorization']
          ? 'enx-relay send: the relay refused the credentials of RELAY_INGEST_USER / RELAY_INGEST_PASSWORD: set them to what the relay was started with'
          : 'enx-relay send: the relay wants Basic credentials: set RELAY_INGEST_USER and RELAY_INGEST_PASSWORD here to the values the relay was started with',
      );
      return EXIT.failed;
    }
    if (!res.ok) failed++;
  }
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The relay's base URL (what it logs when it starts) means its webhook path. */
function webhookUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`--url: "${raw}" is not a URL such as http://127.0.0.1:8080/webhooks/enablex`);
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
