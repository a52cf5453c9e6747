import type { Context } from 'koa';
import { BadRequestError, InvalidJsonError } from '../../errors.js';
import { readBody } from '../../ingest/read-body.js';

/** An admin request's JSON object body; an empty body is `{}`. Size-limited like the webhook. */
export async function readJson(ctx: Context, limitBytes: number): Promise<Record<string, unknown>> {
  const raw = await readBody(ctx.req, limitBytes);
  if (raw.toString('utf8').trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new InvalidJsonError((err as Error).message);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('the body must be a JSON object');
  return body as Record<string, unknown>;
}
