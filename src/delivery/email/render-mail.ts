import { eventView } from '../../domain/event-view.js';
import type { RelayEvent } from '../../domain/event.js';
import { renderTemplate } from '../../templates/engine.js';
import { describeEvent } from '../messages/describe-event.js';
import { buildMail, oneLine, type MailContent } from './build-mail.js';
import type { EmailOptions } from './email-options.js';
import { escapeView } from './html-escape.js';

/**
 * Subject, text and HTML for one event. Each part is the destination's template or the built-in
 * one, except the bodies go together: with a `text` or `html` template, only the templated bodies
 * are sent, so that one mail never says two different things (and when they render blank for an
 * event, the built-in bodies are). HTML templates see escaped values.
 */
export async function renderMail(opts: Pick<EmailOptions, 'subject' | 'text' | 'html'>, event: RelayEvent): Promise<MailContent> {
  const view = eventView(event);
  const builtin = buildMail(describeEvent(view), event.id);
  // A template that renders blank for this event (its fields empty or absent) gives way to the
  // built-in part: a mail without a subject or a body says nothing, and the event must not die of it.
  const subject = (opts.subject ? oneLine(await renderTemplate(opts.subject, view)) : '') || builtin.subject;
  if (!opts.text && !opts.html) return { ...builtin, subject };
  const text = opts.text ? await renderTemplate(opts.text, view) : undefined;
  const html = opts.html ? await renderTemplate(opts.html, escapeView(view) as Record<string, unknown>) : undefined;
  if (!text?.trim() && !html?.trim()) return { ...builtin, subject };
  return { subject, ...(text !== undefined ? { text } : {}), ...(html !== undefined ? { html } : {}) };
}
