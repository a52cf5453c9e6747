import type { WebClient } from '@slack/web-api';
import type { ClaimedDelivery } from '../../domain/delivery.js';
import { hasSession, sessionKey, type RelayEvent } from '../../domain/event.js';
import { deferred, permanent, success, type SendOutcome } from '../../domain/outcome.js';
import type { Destination, DestinationDeps, RenderedMessage } from '../destination.js';
import { withStatus, type SlackMessage } from './build-slack-message.js';
import type { ChannelLimiter } from './channel-limiter.js';
import { classifySlackError } from './classify-slack-error.js';
import { renderSlackMessage } from './render-slack-message.js';
import { createSlackClient, type SlackApi } from './slack-client.js';
import type { SlackOptions } from './slack-options.js';
import { sessionLine } from './session-line.js';
import { parseThreadState, serializeThreadState, threadStateKey, type ThreadState } from './thread-state.js';

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * What a thread's state records as posted: the event's id for its first message (as threads
 * stored before replays were counted have it), and one key per replay after delivery, which is a
 * new message (domain/message-id.ts): replayed, a delivered message is posted again in the thread.
 */
const postedKey = (d: ClaimedDelivery): string => (d.replays > 0 ? `${d.event.id}#replay-${d.replays}` : d.event.id);

/** The channel is at its rate: hand the worker slot back and come again later. */
class ChannelBusy extends Error {
  constructor(readonly waitMs: number) {
    super('channel busy');
  }
}

export class SlackDestination implements Destination {
  readonly kind = 'slack';
  private client: SlackApi | null = null;

  constructor(
    readonly name: string,
    private readonly opts: SlackOptions,
    private readonly deps: DestinationDeps,
    private readonly limiter: ChannelLimiter,
    private readonly sleep: Sleep,
    private readonly requestTimeoutMs?: number,
  ) {}

  /** One thread per session: its deliveries go out one at a time, in arrival order. */
  orderKey(event: RelayEvent): string | null {
    return this.threaded(event) ? threadStateKey(this.name, this.opts.channel, sessionKey(event)) : null;
  }

  async render(event: RelayEvent): Promise<RenderedMessage> {
    const msg = await renderSlackMessage(this.opts, event);
    return {
      target: `${this.opts.channel} (thread: ${this.opts.thread})`,
      summary: msg.text.split('\n')[0] ?? '',
      payload: { channel: this.opts.channel, ...msg },
    };
  }

  async send(delivery: ClaimedDelivery, signal: AbortSignal): Promise<SendOutcome> {
    if (!this.opts.token) return permanent('config', `slack_no_token: destination "${this.name}" has no token and SLACK_BOT_TOKEN is not set`);
    let msg: SlackMessage;
    try {
      msg = await renderSlackMessage(this.opts, delivery.event);
    } catch (err) {
      return permanent('render', `render_failed: ${(err as Error).message}`);
    }
    try {
      if (!this.threaded(delivery.event)) {
        const res = await this.post({ channel: this.opts.channel, ...msg }, signal);
        return success(200, `posted ${res.ts}`);
      }
      return await this.sendInThread(delivery, msg, signal);
    } catch (err) {
      // Nothing was sent: hand it back for when the channel has room, without using an attempt.
      if (err instanceof ChannelBusy) return deferred('rate_limited', `slack_channel_busy: ${this.opts.channel} is at its rate of one message per second`, err.waitMs);
      const outcome = classifySlackError(err, this.opts.channel);
      if (outcome.kind === 'retry' && outcome.retryAfterMs) this.limiter.pause(this.opts.channel, this.now() + outcome.retryAfterMs);
      return outcome;
    }
  }

  async close(): Promise<void> {
    this.client = null;
  }

  /** A relay event that is about no session (a destination failing) gets no thread of its own. */
  private threaded(event: RelayEvent): boolean {
    return this.opts.thread === 'session' && hasSession(event);
  }

  private async sendInThread(delivery: ClaimedDelivery, msg: SlackMessage, signal: AbortSignal): Promise<SendOutcome> {
    const event = delivery.event;
    const key = threadStateKey(this.name, this.opts.channel, sessionKey(event));
    const store = this.deps.store;
    const state = parseThreadState(await store.getState(key));
    if (!state) {
      // Read before posting: a store that cannot answer fails the attempt, and nothing was sent.
      const line = await sessionLine(store, event);
      const res = await this.post({ channel: this.opts.channel, ...withStatus(msg, line) }, signal);
      const fresh: ThreadState = { channel: res.channel ?? this.opts.channel, ts: res.ts ?? '', parent: msg, line, posted: [...new Set([event.id, postedKey(delivery)])] };
      const value = serializeThreadState(fresh);
      // Deliveries of one session are serialized, so a thread already there means a lease ran out
      // mid-send: this message stays on its own and the first thread is kept.
      if ((await store.putStateIfAbsent(key, value)) !== value) this.deps.logger.warn({ destination: this.name, session: sessionKey(event) }, 'a thread for this session appeared meanwhile; kept the first one');
      return success(200, `posted ${fresh.ts}`);
    }
    // At least once: this message was posted before the previous attempt could be acknowledged.
    const posting = postedKey(delivery);
    if (state.posted.includes(posting)) return success(200, `already posted in thread ${state.ts}`);
    const res = await this.post({ channel: state.channel, thread_ts: state.ts, ...msg }, signal);
    // The reply is out: from here nothing may fail the send (it would be posted again).
    const line = await sessionLine(store, event).catch((err: unknown) => {
      this.deps.logger.warn({ destination: this.name, error: (err as Error).message }, 'could not read the session record for the thread status line');
      return null;
    });
    const next: ThreadState = { ...state, posted: [...new Set([...state.posted, event.id, posting])] };
    await store.setState(key, serializeThreadState(next));
    // Redrawn only when it says something new (a replay of a delivered message changes nothing);
    // `line` is what the parent shows, so a failed update is tried again with the next message.
    if (line !== null && line !== state.line && (await this.updateParent(next, line))) await store.setState(key, serializeThreadState({ ...next, line }));
    return success(200, `replied ${res.ts} in thread ${state.ts}`);
  }

  /** The reply is out: a failed status update must not send it again, so it is only logged. */
  private async updateParent(s: ThreadState, line: string): Promise<boolean> {
    try {
      await this.slack().chat.update({ channel: s.channel, ts: s.ts, ...withStatus(s.parent, line) } as Parameters<WebClient['chat']['update']>[0]);
      return true;
    } catch (err) {
      const outcome = classifySlackError(err, s.channel);
      this.deps.logger.warn({ destination: this.name, error: outcome.kind === 'success' ? '' : outcome.error }, 'could not update the thread status line');
      return false;
    }
  }

  private async post(args: { channel: string; text: string; blocks?: unknown[]; thread_ts?: string }, signal: AbortSignal): Promise<{ ts?: string; channel?: string }> {
    const slot = this.limiter.reserve(this.opts.channel, this.now());
    if (!slot.ok) throw new ChannelBusy(slot.waitMs);
    if (slot.waitMs > 0) await this.sleep(slot.waitMs, signal);
    signal.throwIfAborted();
    return this.slack().chat.postMessage(args as Parameters<WebClient['chat']['postMessage']>[0]);
  }

  private slack(): SlackApi {
    this.client ??= createSlackClient(this.opts.token!, { apiUrl: this.deps.settings.slackApiUrl, logger: this.deps.logger, timeoutMs: this.requestTimeoutMs });
    return this.client;
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}
