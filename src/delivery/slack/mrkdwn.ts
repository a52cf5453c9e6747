import { defineFlavor } from '../../templates/engine.js';
import { replaceControlsKeepLines } from '../../templates/control-chars.js';

/**
 * Slack reads `&`, `<` and `>` as markup in mrkdwn and plain text alike (`<!channel>`, links):
 * event data must not. Control characters other than tab and newline are replaced as well.
 */
export function escapeMrkdwn(s: string): string {
  return replaceControlsKeepLines(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Admin `text` templates: every value escaped for mrkdwn, whatever the template says. */
export const SLACK_TEXT = defineFlavor('Slack text', { text: escapeMrkdwn });
/** Admin `blocks` templates: JSON whose structure values cannot change, each value's text escaped for mrkdwn. */
export const SLACK_BLOCKS = defineFlavor('Slack blocks', { json: true, text: escapeMrkdwn });

/**
 * `<url|label>`; `|` and `>` inside the URL would end the link early, so they are percent-encoded,
 * as are control characters and line separators (which no URL holds as such).
 */
export function slackLink(url: string, label: string): string {
  const safeUrl = url
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => encodeURIComponent(c))
    .replace(/\|/g, '%7C')
    .replace(/>/g, '%3E')
    .replace(/</g, '%3C')
    .replace(/&/g, '&amp;');
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

/** Slack shows the time in each reader's zone; the fallback text is UTC. */
export function slackTime(iso: string, fallback: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return escapeMrkdwn(fallback);
  return `<!date^${Math.floor(t / 1000)}^{date_short_pretty} {time}|${escapeMrkdwn(fallback)}>`;
}
