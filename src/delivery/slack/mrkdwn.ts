/** Slack reads `&`, `<` and `>` as markup in mrkdwn and plain text alike: event data must not. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|label>`; `|` and `>` inside the URL would end the link early, so they are percent-encoded. */
export function slackLink(url: string, label: string): string {
  const safeUrl = url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C').replace(/&/g, '&amp;');
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

/** Slack shows the time in each reader's zone; the fallback text is UTC. */
export function slackTime(iso: string, fallback: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return escapeMrkdwn(fallback);
  return `<!date^${Math.floor(t / 1000)}^{date_short_pretty} {time}|${escapeMrkdwn(fallback)}>`;
}
