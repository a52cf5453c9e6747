import type { RelayEvent } from '../../domain/event.js';
import { eventView } from '../../domain/event-view.js';
import { TemplateError } from '../../errors.js';
import { renderTemplate } from '../../templates/engine.js';
import type { HttpOptions } from './http-options.js';

export interface RenderedBody {
  bytes: Buffer;
  contentType: string;
  /** The body as JSON when it is JSON (templates always; original when it parses). */
  json?: unknown;
  text: string;
}

/**
 * The bytes an HTTP destination sends. `original` forwards EnableX's body untouched, so a
 * receiver can hash or verify it exactly as the vendor sent it; it goes as `application/json`
 * whatever Content-Type the sender claimed, since the relay accepted it only as JSON. A template
 * must produce JSON: a receiver that expects JSON must never get half a document. Throws
 * TemplateError.
 */
export async function renderBody(body: HttpOptions['body'], event: RelayEvent): Promise<RenderedBody> {
  if (body.kind === 'original') {
    const text = event.raw.toString('utf8');
    return { bytes: event.raw, contentType: 'application/json', json: tryJson(text), text };
  }
  const text = await renderTemplate(body.template, eventView(event));
  return { bytes: Buffer.from(text, 'utf8'), contentType: 'application/json', json: parseJsonBody(text), text };
}

/** A template's output as JSON, or a TemplateError saying why it is not. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TemplateError(`body template did not produce valid JSON: ${(err as Error).message}`);
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
