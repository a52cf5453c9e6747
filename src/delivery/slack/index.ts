import { setTimeout as delay } from 'node:timers/promises';
import type { DestinationKind } from '../destination.js';
import { ChannelLimiter } from './channel-limiter.js';
import { slackCheck } from './slack-check.js';
import { SlackDestination, type Sleep } from './slack-destination.js';
import { slackOptions } from './slack-options.js';

export interface SlackKindOptions {
  /** Shared by every slack destination of the kind: channels are limited across rules reloads too. */
  limiter?: ChannelLimiter;
  sleep?: Sleep;
  /** Longest one Slack API call may take (default 15 s). */
  requestTimeoutMs?: number;
}

const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

export function createSlackKind(opts: SlackKindOptions = {}): DestinationKind {
  const limiter = opts.limiter ?? new ChannelLimiter();
  const sleep = opts.sleep ?? realSleep;
  return {
    kind: 'slack',
    check: slackCheck,
    create: (spec, deps) => new SlackDestination(spec.name, slackOptions(spec, deps.settings), deps, limiter, sleep, opts.requestTimeoutMs),
  };
}

export const slackKind: DestinationKind = createSlackKind();
export { ChannelLimiter } from './channel-limiter.js';
