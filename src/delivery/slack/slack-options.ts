import type { Settings } from '../../config/env.js';
import type { DestinationSpec } from '../../config/rules-types.js';
import { ConfigInvalidError } from '../../errors.js';
import { compileTemplate, type CompiledTemplate } from '../../templates/engine.js';
import { SLACK_BLOCKS, SLACK_TEXT } from './mrkdwn.js';

export type ThreadMode = 'session' | 'none';

/** A `slack:` destination's options, checked and compiled. */
export interface SlackOptions {
  /** Name (`#video-ops`) or id (`C0123ABC`), as Slack's chat.postMessage takes it. */
  channel: string;
  /** Null when neither the destination nor SLACK_BOT_TOKEN gives one: reported at send time. */
  token: string | null;
  thread: ThreadMode;
  text: CompiledTemplate | null;
  blocks: CompiledTemplate | null;
}

export const THREAD_MODES: readonly ThreadMode[] = ['session', 'none'];

export function slackOptions(spec: DestinationSpec, settings: Pick<Settings, 'slackToken'>): SlackOptions {
  const o = spec.options;
  const where = `destinations.${spec.name}.slack`;
  if (typeof o.channel !== 'string' || o.channel.trim() === '') throw new ConfigInvalidError(`${where}.channel`, 'a channel name or id is required');
  const thread = o.thread ?? 'session';
  if (!THREAD_MODES.includes(thread as ThreadMode)) throw new ConfigInvalidError(`${where}.thread`, `must be one of ${THREAD_MODES.join(', ')}`);
  const token = typeof o.token === 'string' && o.token.trim() !== '' ? o.token.trim() : settings.slackToken;
  return {
    channel: o.channel.trim(),
    token: token ?? null,
    thread: thread as ThreadMode,
    text: typeof o.text === 'string' ? compileTemplate(o.text, SLACK_TEXT) : null,
    blocks: typeof o.blocks === 'string' ? compileTemplate(o.blocks, SLACK_BLOCKS) : null,
  };
}
