import type { Clock } from '../../domain/clock.js';
import type { RelayEvent } from '../../domain/event.js';
import { permanent, success, type SendOutcome } from '../../domain/outcome.js';
import { classifyHttpStatus, classifyNetworkError } from '../outcome.js';
import { shortRetry, type ShortRetryOptions } from '../short-retry.js';
import type { HttpOptions } from './http-options.js';
import { discardBody, readSnippet } from './read-snippet.js';
import { renderBody } from './render-body.js';
import { requestSignal } from './request-signal.js';
import { requestHeaders } from './request-headers.js';
import type { Signer } from './signing.js';

export interface HttpSendInput {
  /** The delivery's id: `webhook-id`, stable across attempts. */
  id: string;
  event: RelayEvent;
  signer: Signer | null;
  clock: Clock;
  /** Shutdown. */
  signal: AbortSignal;
  shortRetry?: ShortRetryOptions;
}

/** One attempt: render, sign, POST, classify. Never throws. */
export async function sendHttp(o: HttpOptions, input: HttpSendInput): Promise<SendOutcome> {
  let body;
  try {
    body = await renderBody(o.body, input.event);
  } catch (err) {
    // The same template fails the same way next time: no point retrying.
    return permanent('render', (err as Error).message);
  }
  const headers = requestHeaders(o, { id: input.id, at: input.clock.now(), body: body.bytes, contentType: body.contentType, signer: input.signer });
  try {
    return await shortRetry(async () => {
      // Each try has its own timeout, which also bounds reading the error answer.
      const { signal, done } = requestSignal(o.timeoutMs, input.signal);
      try {
        const res = await fetch(o.url, {
          method: o.method,
          headers,
          body: body.bytes,
          // A redirect is the receiver saying the URL is wrong; following it would send a signed
          // body (and the admin's credentials) somewhere nobody configured.
          redirect: 'manual',
          signal,
        });
        if (res.status >= 200 && res.status < 300) {
          await discardBody(res);
          return success(res.status);
        }
        const snippet = await readSnippet(res);
        return classifyHttpStatus(res.status, res.headers.get('retry-after'), input.clock.now(), snippet);
      } finally {
        done();
      }
    }, { ...input.shortRetry, signal: input.signal });
  } catch (err) {
    return classifyNetworkError(err, { timeoutMs: o.timeoutMs });
  }
}
