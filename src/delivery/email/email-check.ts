import type { DestinationSpec } from '../../config/rules-types.js';
import type { CheckContext } from '../destination.js';
import { checkTemplates } from '../messages/check-templates.js';
import { addressList, MAIL_SUBJECT, MAIL_TEXT } from './email-options.js';

const LOOKS_LIKE_ADDRESS = /^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/;

/** An `email:` destination's options beyond the schema: an SMTP server, recipients, templates that compile and render. */
export function emailCheck(spec: DestinationSpec, ctx: CheckContext): { path?: string; message: string }[] {
  const o = spec.options;
  const problems: { path?: string; message: string }[] = [];
  // Without a server every delivery would die: refuse the rules now, where the admin sees it.
  if (ctx.env && (ctx.env['RELAY_SMTP_URL'] ?? '').trim() === '') {
    problems.push({ message: 'email: RELAY_SMTP_URL is not set: the relay has no SMTP server to send through (e.g. RELAY_SMTP_URL=smtp://user:pass@host:587)' });
  }
  for (const option of ['to', 'cc'] as const) {
    const list = addressList(o[option]);
    if (option === 'to' && list.length === 0) problems.push({ path: ctx.posOf(['to']), message: 'to: at least one recipient is required' });
    const bad = list.filter((a) => !LOOKS_LIKE_ADDRESS.test(a));
    if (bad.length > 0) problems.push({ path: ctx.posOf([option]), message: `${option}: not an email address: ${bad.join(', ')}` });
  }
  const notEmpty = (out: string): string | null => (out.trim() ? null : 'renders empty');
  problems.push(...checkTemplates(o, [{ option: 'subject', flavor: MAIL_SUBJECT, validate: notEmpty }, { option: 'text', flavor: MAIL_TEXT }, { option: 'html' }], ctx));
  return problems;
}
