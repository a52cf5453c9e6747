import type { DescribedFile, EventDescription } from '../messages/describe-event.js';
import { factText } from '../messages/format-time.js';
import { escapeMrkdwn, slackLink, slackTime } from './mrkdwn.js';
import { SLACK_LIMITS, truncate } from './slack-limits.js';

export type Block = Record<string, unknown> & { type: string };

export interface SlackMessage {
  /** Always set: notifications, screen readers and old clients show it instead of the blocks. */
  text: string;
  blocks?: Block[];
}

/** A long list helps nobody in a channel, and 50 blocks is Slack's hard limit anyway. */
export const MAX_FILES_LISTED = 20;

/** The built-in Block Kit message for an event, within Slack's limits whatever its size. */
export function buildSlackMessage(d: EventDescription): SlackMessage {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(escapeMrkdwn(d.title), SLACK_LIMITS.headerText), emoji: false } },
    section(escapeMrkdwn(d.headline)),
  ];
  const fields = d.facts.slice(0, SLACK_LIMITS.sectionFields).map((f) => ({
    type: 'mrkdwn',
    text: truncate(`*${escapeMrkdwn(f.label)}*\n${f.time ? slackTime(f.time, factText(f)) : escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText),
  }));
  if (fields.length > 0) blocks.push({ type: 'section', fields });
  blocks.push(...fileSections(d.files));
  const notes = d.notes.slice(0, SLACK_LIMITS.contextElements).map((n) => ({ type: 'mrkdwn', text: truncate(escapeMrkdwn(n), SLACK_LIMITS.fieldText) }));
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes });
  return { text: truncate(escapeMrkdwn(`${d.title}: ${d.headline}`), SLACK_LIMITS.fallbackText), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

/** The parent of a session thread shows the session's status under its own message. */
export function withStatus(msg: SlackMessage, status: string): SlackMessage {
  // Within a context element's limit whatever the record holds (Slack refuses the whole message
  // otherwise), cut where no `&amp;` is left half written.
  const line = truncateEscaped(`*Session:* ${escapeMrkdwn(status)}`, SLACK_LIMITS.fieldText);
  if (!msg.blocks) return { text: `${msg.text}\n${line}` };
  const blocks = msg.blocks.slice(0, SLACK_LIMITS.blocks - 1);
  return { text: msg.text, blocks: [...blocks, { type: 'context', elements: [{ type: 'mrkdwn', text: line }] }] };
}

/** Escaped mrkdwn in at most `max` characters: a cut never ends inside an entity (`&am…`). */
export function truncateEscaped(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '')}…`;
}

function fileSections(files: DescribedFile[]): Block[] {
  if (files.length === 0) return [];
  const listed = files.slice(0, MAX_FILES_LISTED).map(fileLine);
  const rest = files.length - MAX_FILES_LISTED;
  if (rest > 0) listed.push(`_and ${rest} more_`);
  // Pack lines into sections of at most 3,000 characters each.
  const out: Block[] = [];
  let current = '';
  for (const line of listed) {
    if (current && current.length + 1 + line.length > SLACK_LIMITS.sectionText) {
      out.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(section(current));
  return out;
}

function fileLine(f: DescribedFile): string {
  const detail = f.detail ? ` · ${escapeMrkdwn(f.detail)}` : '';
  const line = (f.linkable ? `• ${slackLink(f.url, f.name)}` : `• \`${escapeMrkdwn(f.url)}\``) + detail;
  // A URL too long for a section cannot be shortened without breaking it: name the file instead.
  return line.length <= SLACK_LIMITS.sectionText ? line : truncate(`• ${escapeMrkdwn(f.name)} (link too long to show)`, SLACK_LIMITS.sectionText);
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } };
}
