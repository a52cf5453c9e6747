import { eventView } from '../../domain/event-view.js';
import type { RelayEvent } from '../../domain/event.js';
import { TemplateError } from '../../errors.js';
import { renderTemplate } from '../../templates/engine.js';
import { describeEvent } from '../messages/describe-event.js';
import { buildMail, oneLine, type MailContent } from './build-mail.js';
import type { EmailOptions } from './email-options.js';
import { escapeView } from './html-escape.js';

/**
 * Subject, text and HTML for one event. Each part is the destination's template or the built-in
 * one, except the bodies go together: with a `text` or `html` template, only the templated bodies
 * are sent, so that one mail never says two different things. HTML templates see escaped values.
 */
export async function renderMail(opts: Pick<EmailOptions, 'subject' | 'text' | 'html'>, event: RelayEvent): Promise<MailContent> {
  const view = eventView(event);
  const builtin = buildMail(describeEvent(view), event.id);
  const subject = opts.subject ? oneLine(await renderTemplate(opts.subject, view)) : builtin.subject;
  if (!subject) throw new TemplateError('subject rendered empty');
  if (!opts.text && !opts.html) return { ...builtin, subject };
  const text = opts.text ? await renderTemplate(opts.text, view) : undefined;
  const html = opts.html ? await renderTemplate(opts.html, escapeView(view) as Record<string, unknown>) : undefined;
  if (!text?.trim() && !html?.trim()) throw new TemplateError('the mail body rendered empty');
  return { subject, ...(text !== undefined ? { text } : {}), ...(html !== undefined ? { html } : {}) };
}
