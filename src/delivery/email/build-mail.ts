import type { EventDescription } from '../messages/describe-event.js';
import { factText } from '../messages/format-time.js';
import { escapeHtml } from './html-escape.js';
import { replaceControls, replaceControlsKeepLines } from '../../templates/control-chars.js';

export interface MailContent {
  subject: string;
  text?: string;
  html?: string;
}

/** Mail has no block limit, but a list of thousands of links helps nobody either. */
export const MAX_FILES_MAILED = 500;

/** The built-in mail for an event: the same facts as the Slack message, as plain text and HTML. */
export function buildMail(d: EventDescription, eventId: string): MailContent {
  return { subject: mailSubject(d), text: mailText(d, eventId), html: mailHtml(d, eventId) };
}

export function mailSubject(d: EventDescription): string {
  const room = d.facts.find((f) => f.label === 'Room')?.value;
  const conf = d.facts.find((f) => f.label === 'Conference')?.value;
  // A relay event about no session (a destination failing) names no room: its title says it all.
  if (room === undefined && conf === undefined && d.type.startsWith('relay.')) return oneLine(d.title);
  return oneLine(`${d.title}: room ${room ?? '?'}, conference ${conf ?? '?'}`);
}

/**
 * Subjects are headers: no CR, LF or other control character of a template or an event may
 * become a header break (or anything else a mail client reads as structure).
 */
export function oneLine(s: string): string {
  return replaceControls(s).replace(/ {2,}/g, ' ').trim().slice(0, 250);
}

function mailText(d: EventDescription, eventId: string): string {
  const width = Math.max(...d.facts.map((f) => f.label.length)) + 2;
  const lines = [d.title, '', d.headline, '', ...d.facts.map((f) => `${(f.label + ':').padEnd(width)} ${factText(f)}`)];
  if (d.files.length > 0) {
    lines.push('', 'Files:');
    for (const f of d.files.slice(0, MAX_FILES_MAILED)) lines.push(`- ${f.name}`, `  ${f.url}`, ...(f.detail ? [`  ${f.detail}`] : []));
    if (d.files.length > MAX_FILES_MAILED) lines.push(`- and ${d.files.length - MAX_FILES_MAILED} more`);
  }
  if (d.notes.length > 0) lines.push('', ...d.notes);
  lines.push('', '-- ', `Sent by enx-relay for event ${eventId}`);
  // The lines are the structure; a control character inside an event's value is not.
  return replaceControlsKeepLines(lines.join('\n') + '\n');
}

function mailHtml(d: EventDescription, eventId: string): string {
  const cell = 'padding:2px 12px 2px 0;vertical-align:top';
  const facts = d.facts
    .map((f) => `<tr><th align="left" style="${cell}">${escapeHtml(f.label)}</th><td style="${cell}">${escapeHtml(factText(f))}</td></tr>`)
    .join('\n');
  const items = d.files.slice(0, MAX_FILES_MAILED).map((f) => {
    const detail = f.detail ? ` <span style="color:#555">${escapeHtml(f.detail)}</span>` : '';
    return f.linkable ? `<li><a href="${escapeHtml(f.url)}">${escapeHtml(f.name)}</a>${detail}</li>` : `<li><code>${escapeHtml(f.url)}</code>${detail}</li>`;
  });
  if (d.files.length > MAX_FILES_MAILED) items.push(`<li>and ${d.files.length - MAX_FILES_MAILED} more</li>`);
  const files = items.length > 0 ? `<h3 style="margin:16px 0 4px">Files</h3>\n<ul>\n${items.join('\n')}\n</ul>` : '';
  const notes = d.notes.map((n) => `<p style="color:#555">${escapeHtml(n)}</p>`).join('\n');
  return [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(d.title)}</title></head>`,
    '<body style="font-family:sans-serif;font-size:14px;color:#222">',
    `<h2 style="margin:0 0 8px">${escapeHtml(d.title)}</h2>`,
    `<p>${escapeHtml(d.headline)}</p>`,
    `<table style="border-collapse:collapse">\n${facts}\n</table>`,
    files,
    notes,
    `<p style="color:#888;font-size:12px">Sent by enx-relay for event ${escapeHtml(eventId)}</p>`,
    '</body></html>',
  ]
    .filter(Boolean)
    .join('\n');
}
