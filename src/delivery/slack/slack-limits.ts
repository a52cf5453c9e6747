/** Block Kit limits that make Slack answer `invalid_blocks` when broken. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  /** Slack truncates longer `text` and refuses far longer with `msg_too_long`; keep notifications short. */
  fallbackText: 3000,
} as const;

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/** Why Slack would refuse these blocks, or null. For admin-written `blocks` templates at check time. */
export function blockProblems(blocks: unknown): string | null {
  if (!Array.isArray(blocks)) return 'blocks must render a JSON array of Block Kit blocks';
  if (blocks.length > SLACK_LIMITS.blocks) return `${blocks.length} blocks: Slack accepts at most ${SLACK_LIMITS.blocks}`;
  for (const [i, b] of blocks.entries()) {
    if (!b || typeof b !== 'object' || typeof (b as { type?: unknown }).type !== 'string') return `block ${i} has no "type"`;
    const block = b as { type: string; text?: { text?: unknown }; fields?: unknown[]; elements?: unknown[] };
    const len = typeof block.text?.text === 'string' ? block.text.text.length : 0;
    if (block.type === 'header' && len > SLACK_LIMITS.headerText) return `block ${i}: header text is ${len} characters, at most ${SLACK_LIMITS.headerText}`;
    if (block.type === 'section' && len > SLACK_LIMITS.sectionText) return `block ${i}: section text is ${len} characters, at most ${SLACK_LIMITS.sectionText}`;
    if (block.type === 'section' && (block.fields?.length ?? 0) > SLACK_LIMITS.sectionFields) return `block ${i}: more than ${SLACK_LIMITS.sectionFields} fields`;
    if (block.type === 'context' && (block.elements?.length ?? 0) > SLACK_LIMITS.contextElements) return `block ${i}: more than ${SLACK_LIMITS.contextElements} context elements`;
  }
  return null;
}
