import type { DestinationSpec } from '../../config/rules-types.js';
import { ConfigInvalidError } from '../../errors.js';
import { replaceControls, replaceControlsKeepLines } from '../../templates/control-chars.js';
import { compileTemplate, defineFlavor, PLAIN, type CompiledTemplate } from '../../templates/engine.js';

/**
 * Text templates: values keep their text but lose control characters other than tab and newline.
 * Subjects are headers: there every control character of a value becomes a space (and the
 * rendered subject is then made one line). HTML templates see an escaped view (html-escape.ts).
 */
export const MAIL_TEXT = defineFlavor('mail text', { text: replaceControlsKeepLines });
export const MAIL_SUBJECT = defineFlavor('mail subject', { text: (s) => replaceControls(s) });

/** An `email:` destination's options, checked and compiled. */
export interface EmailOptions {
  to: string[];
  cc: string[];
  subject: CompiledTemplate | null;
  text: CompiledTemplate | null;
  html: CompiledTemplate | null;
}

export function emailOptions(spec: DestinationSpec): EmailOptions {
  const o = spec.options;
  const to = addressList(o.to);
  if (to.length === 0) throw new ConfigInvalidError(`destinations.${spec.name}.email.to`, 'at least one recipient is required');
  const tpl = (v: unknown, flavor = MAIL_TEXT): CompiledTemplate | null => (typeof v === 'string' ? compileTemplate(v, flavor) : null);
  return { to, cc: addressList(o.cc), subject: tpl(o.subject, MAIL_SUBJECT), text: tpl(o.text), html: tpl(o.html, PLAIN) };
}

/** `a@b`, `a@b, c@d` or a list of them. */
export function addressList(v: unknown): string[] {
  const items = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return items
    .flatMap((x) => (typeof x === 'string' ? x.split(',') : []))
    .map((x) => x.trim())
    .filter(Boolean);
}
