import { eventView } from '../../domain/event-view.js';
import type { RelayEvent } from '../../domain/event.js';
import { TemplateError } from '../../errors.js';
import { renderTemplate } from '../../templates/engine.js';
import { describeEvent } from '../messages/describe-event.js';
import { buildSlackMessage, type Block, type SlackMessage } from './build-slack-message.js';
import type { SlackOptions } from './slack-options.js';
import { blockProblems, fitBlocks, SLACK_LIMITS, truncate } from './slack-limits.js';

/**
 * The message for one event: the built-in one, or the destination's templates. A `text` template
 * alone sends plain text; a `blocks` template keeps the built-in text as its fallback unless
 * `text` is given too; a `text` that renders blank for an event is replaced by the built-in text.
 * Throws TemplateError when a template fails.
 */
export async function renderSlackMessage(opts: Pick<SlackOptions, 'text' | 'blocks'>, event: RelayEvent): Promise<SlackMessage> {
  const view = eventView(event);
  const builtin = buildSlackMessage(describeEvent(view));
  if (!opts.text && !opts.blocks) return builtin;
  // A template that renders blank for this event (its fields empty or absent) gives way to the
  // built-in text: Slack refuses a message without one, and the event must not die of it.
  const rendered = opts.text ? truncate((await renderTemplate(opts.text, view)).trim(), SLACK_LIMITS.fallbackText) : '';
  const text = rendered || builtin.text;
  if (!opts.blocks) return { text };
  return { text, blocks: parseBlocks(await renderTemplate(opts.blocks, view), { fit: true }) };
}

/** Rendered blocks -> Block Kit blocks; `fit` cuts what an event made too long (at send time, not at check time). */
export function parseBlocks(json: string, opts: { fit?: boolean } = {}): Block[] {
  let blocks: unknown;
  try {
    blocks = JSON.parse(json);
  } catch (err) {
    throw new TemplateError(`blocks did not render valid JSON: ${(err as Error).message}`);
  }
  if (opts.fit && Array.isArray(blocks)) blocks = fitBlocks(blocks);
  const problem = blockProblems(blocks);
  if (problem) throw new TemplateError(`blocks: ${problem}`);
  return blocks as Block[];
}
