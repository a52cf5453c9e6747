import type { ClaimedDelivery } from '../domain/delivery.js';
import type { RelayEvent } from '../domain/event.js';
import type { SendOutcome } from '../domain/outcome.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { Settings } from '../config/env.js';
import type { DestinationSpec } from '../config/rules-types.js';
import type { Store } from '../store/store.js';
import type { RelayEventSink } from '../relay-events/relay-event.js';

/** What `enx-relay route` shows: the message a destination would send, nothing sent. */
export interface RenderedMessage {
  /** e.g. `POST https://...`, `#video-ops (thread: session)`, `to: a@b` */
  target: string;
  /** Human readable summary line. */
  summary: string;
  /** The payload as it would go out (JSON body, Slack blocks, email subject/text/html). */
  payload: unknown;
}

/** A configured destination, ready to send. One instance per destination name per rules load. */
export interface Destination {
  readonly name: string;
  readonly kind: string;
  /** Deliveries of one key go out one at a time, in order (e.g. one Slack thread). */
  orderKey(event: RelayEvent): string | null;
  /**
   * Optional: the event is several units of work here (a mirror: one per file), each its own
   * delivery with its own attempts, schedule and end. A unit's key is that delivery's orderKey:
   * it is how send() knows its unit, and deliveries of one unit key (the same file to the same
   * place) go one at a time. None (or no method): one delivery with orderKey(event).
   */
  units?(event: RelayEvent): string[];
  /**
   * Longest one send may run before the worker cuts it off and stops renewing its lease
   * (default MAX_SEND_MS). For kinds whose sends are long by nature; such a kind must bound
   * itself otherwise (a mirror's stall timeout).
   */
  readonly maxSendMs?: number;
  render(event: RelayEvent): Promise<RenderedMessage>;
  /** Never throws for a receiver's answer: classifies it. `signal` aborts on shutdown. */
  send(delivery: ClaimedDelivery, signal: AbortSignal): Promise<SendOutcome>;
  close?(): Promise<void>;
}

export interface DestinationDeps {
  settings: Settings;
  logger: Logger;
  clock: Clock;
  store: Store;
  /** Where `log` destinations write; standard output by default. */
  out?: NodeJS.WritableStream;
  /** Where a destination announces what only it knows (a mirror: files copied). Absent in previews. */
  relayEvents?: RelayEventSink;
}

/** One per destination kind (slack, email, http, log): self-contained in its own folder. */
export interface DestinationKind {
  readonly kind: string;
  /**
   * Semantic checks of a destination's options beyond the JSON Schema (templates compile, a
   * template renders valid JSON for each example event, ...). Paths are `file:line:column`.
   */
  check?(spec: DestinationSpec, ctx: CheckContext): { path?: string; message: string }[];
  create(spec: DestinationSpec, deps: DestinationDeps): Destination;
  /**
   * Optional, online: does the destination really work (a mirror writes and removes a probe
   * object)? `enx-relay check --probe` runs it; a rules reload never does. Resolves to problems.
   */
  probe?(spec: DestinationSpec, deps: DestinationDeps): Promise<{ message: string }[]>;
}

export interface CheckContext {
  /** Position of an option inside the destination, e.g. ['body'] -> file:line:col. */
  posOf(optionPath: (string | number)[]): string;
  /** Example events of each documented type, for render checks. */
  examples: RelayEvent[];
  /** The environment the relay runs with (SLACK_BOT_TOKEN, RELAY_SMTP_URL, ...); absent: not checked. */
  env?: Record<string, string | undefined>;
}
