import type { DestinationSpec } from '../../config/rules-types.js';
import type { CheckContext } from '../destination.js';
import { checkTemplates } from '../messages/check-templates.js';
import { SLACK_BLOCKS, SLACK_TEXT } from './mrkdwn.js';
import { parseBlocks } from './render-slack-message.js';
import { THREAD_MODES, type ThreadMode } from './slack-options.js';

/** A `slack:` destination's options beyond the schema: a token, thread mode, templates that compile and render. */
const hasValue = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

export function slackCheck(spec: DestinationSpec, ctx: CheckContext): { path?: string; message: string }[] {
  const o = spec.options;
  const problems: { path?: string; message: string }[] = [];
  if (typeof o.channel !== 'string' || o.channel.trim() === '') problems.push({ path: ctx.posOf(['channel']), message: 'channel: a channel name (#video-ops) or id is required' });
  // Without a token every delivery would die: refuse the rules now, where the admin sees it.
  if (ctx.env && !hasValue(o.token) && !hasValue(ctx.env['SLACK_BOT_TOKEN'])) {
    problems.push({ message: 'slack: no token: set SLACK_BOT_TOKEN for the relay, or give this destination token: ${YOUR_VAR}' });
  }
  if (o.thread !== undefined && !THREAD_MODES.includes(o.thread as ThreadMode)) problems.push({ path: ctx.posOf(['thread']), message: `thread: must be one of ${THREAD_MODES.join(', ')}` });
  const validBlocks = (out: string): string | null => {
    try {
      parseBlocks(out);
      return null;
    } catch (err) {
      return (err as Error).message.replace(/^blocks:? /, '');
    }
  };
  problems.push(...checkTemplates(o, [{ option: 'text', flavor: SLACK_TEXT }, { option: 'blocks', flavor: SLACK_BLOCKS, validate: validBlocks }], ctx));
  return problems;
}
