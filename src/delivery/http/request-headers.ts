import { userAgent } from '../../version.js';
import type { HttpOptions } from './http-options.js';
import type { Signer } from './signing.js';

/**
 * Every header of one request. `webhook-id` is the delivery's message id (the delivery's id, or a
 * new one for a replay of a delivered delivery), the same on every retry, and goes out signed or
 * not: it is what receivers deduplicate on (at-least-once delivery), and `idempotency-key` repeats
 * it for receivers that follow the IETF idempotency-key draft.
 */
export function requestHeaders(
  opts: Pick<HttpOptions, 'headers'>,
  req: { id: string; at: Date; body: Buffer; contentType: string; signer: Signer | null },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(opts.headers)) out[name.toLowerCase()] = value;
  // An admin's Content-Type wins (e.g. application/cloudevents+json); otherwise the body's own.
  out['content-type'] ??= req.contentType;
  out['user-agent'] = userAgent;
  out['webhook-id'] = req.id;
  out['idempotency-key'] = req.id;
  if (req.signer) Object.assign(out, req.signer.sign(req.id, req.at, req.body));
  return out;
}
