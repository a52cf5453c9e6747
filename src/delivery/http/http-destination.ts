import type { Agent } from 'node:http';
import type { ClaimedDelivery } from '../../domain/delivery.js';
import { messageId } from '../../domain/message-id.js';
import type { RelayEvent } from '../../domain/event.js';
import type { SendOutcome } from '../../domain/outcome.js';
import type { DestinationSpec } from '../../config/rules-types.js';
import { RulesInvalidError } from '../../errors.js';
import type { Destination, DestinationDeps, RenderedMessage } from '../destination.js';
import type { ShortRetryOptions } from '../short-retry.js';
import { parseHttpOptions, type HttpOptions } from './http-options.js';
import { maskHeaders } from './mask-headers.js';
import { renderBody } from './render-body.js';
import { requestHeaders } from './request-headers.js';
import { keepAliveAgent } from './http-request.js';
import { sendHttp } from './send-http.js';
import { createSigner, type Signer } from './signing.js';

/** A downstream HTTP endpoint that receives events, original or reshaped, optionally signed. */
export class HttpDestination implements Destination {
  readonly kind = 'http';
  readonly name: string;
  readonly options: HttpOptions;
  private readonly signer: Signer | null;
  /** Kept-alive connections to the receiver, closed with the destination. */
  private readonly agent: Agent;

  constructor(
    spec: DestinationSpec,
    private readonly deps: Pick<DestinationDeps, 'clock'>,
    private readonly shortRetry?: ShortRetryOptions,
  ) {
    const { options, problems } = parseHttpOptions(spec.options);
    // Rules are checked before destinations are created; this only guards a direct caller.
    if (!options) throw new RulesInvalidError(spec.pos.file, problems.map((p) => ({ message: `${spec.name}.${p.option.join('.')}: ${p.message}` })));
    this.name = spec.name;
    this.options = options;
    this.signer = options.signingSecret ? createSigner(options.signingSecret) : null;
    this.agent = keepAliveAgent(new URL(options.url));
  }

  /** Receivers deduplicate by webhook-id; nothing here needs ordering. */
  orderKey(): string | null {
    return null;
  }

  async render(event: RelayEvent): Promise<RenderedMessage> {
    const body = await renderBody(this.options.body, event);
    const headers = maskHeaders(
      requestHeaders(this.options, { id: '<delivery id>', at: this.deps.clock.now(), body: body.bytes, contentType: body.contentType, signer: null }),
    );
    if (this.signer) {
      headers['webhook-timestamp'] = '<unix time when sent>';
      headers['webhook-signature'] = 'v1,<computed when sent>';
    }
    const what = this.options.body.kind === 'original' ? 'original body' : 'templated JSON body';
    return {
      target: `${this.options.method} ${this.options.url}`,
      summary: `${event.type} event, ${what} (${body.bytes.length} bytes)${this.signer ? ', signed' : ''}`,
      payload: { headers, body: body.json ?? body.text },
    };
  }

  send(delivery: ClaimedDelivery, signal: AbortSignal): Promise<SendOutcome> {
    return sendHttp(this.options, {
      id: messageId(delivery),
      event: delivery.event,
      signer: this.signer,
      clock: this.deps.clock,
      signal,
      shortRetry: this.shortRetry,
      agent: this.agent,
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}
