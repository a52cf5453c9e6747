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

type TextObject = { text: string } & Record<string, unknown>;
const isText = (v: unknown): v is TextObject => !!v && typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string';
const cut = (v: unknown, max: number): unknown => (isText(v) ? { ...v, text: truncate(v.text, max) } : v);

/**
 * Admin blocks brought within Slack's limits: a long event value shortens a text (and a long
 * list loses its tail) rather than the whole message being refused. Structure stays the template's.
 */
export function fitBlocks(blocks: unknown[]): unknown[] {
  return blocks.slice(0, SLACK_LIMITS.blocks).map((b) => {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return b;
    const block = { ...(b as Record<string, unknown>) };
    if (block.type === 'header') block.text = cut(block.text, SLACK_LIMITS.headerText);
    if (block.type === 'section') {
      if (block.text !== undefined) block.text = cut(block.text, SLACK_LIMITS.sectionText);
      if (Array.isArray(block.fields)) block.fields = block.fields.slice(0, SLACK_LIMITS.sectionFields).map((f) => cut(f, SLACK_LIMITS.fieldText));
    }
    if (block.type === 'context' && Array.isArray(block.elements)) {
      block.elements = block.elements.slice(0, SLACK_LIMITS.contextElements).map((e) => cut(e, SLACK_LIMITS.fieldText));
    }
    return block;
  });
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
