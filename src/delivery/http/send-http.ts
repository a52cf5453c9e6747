import type { Clock } from '../../domain/clock.js';
import type { RelayEvent } from '../../domain/event.js';
import { permanent, success, type SendOutcome } from '../../domain/outcome.js';
import { classifyHttpStatus, classifyNetworkError } from '../outcome.js';
import { shortRetry, type ShortRetryOptions } from '../short-retry.js';
import type { Agent } from 'node:http';
import type { HttpOptions } from './http-options.js';
import { keepAliveAgent, sendRequest } from './http-request.js';
import { renderBody } from './render-body.js';
import { requestHeaders } from './request-headers.js';
import type { Signer } from './signing.js';

export interface HttpSendInput {
  /** The delivery's message id (domain/message-id.ts): `webhook-id`, stable across attempts. */
  id: string;
  event: RelayEvent;
  signer: Signer | null;
  clock: Clock;
  /** Shutdown. */
  signal: AbortSignal;
  shortRetry?: ShortRetryOptions;
  /** The destination's connection pool (a new one per call if absent). */
  agent?: Agent;
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
  const url = new URL(o.url);
  const agent = input.agent ?? keepAliveAgent(url);
  try {
    return await shortRetry(async () => {
      // Each try has its own timeout, which also bounds reading the error answer. A redirect is
      // not followed: it is the receiver saying the URL is wrong, and following it would send a
      // signed body (and the admin's credentials) somewhere nobody configured.
      const res = await sendRequest(url, agent, { method: o.method, headers, body: body.bytes, timeoutMs: o.timeoutMs, signal: input.signal });
      if (res.status >= 200 && res.status < 300) return success(res.status);
      return classifyHttpStatus(res.status, res.retryAfter, input.clock.now(), res.snippet);
    }, { ...input.shortRetry, signal: input.signal });
  } catch (err) {
    return classifyNetworkError(err, { timeoutMs: o.timeoutMs });
  }
}
