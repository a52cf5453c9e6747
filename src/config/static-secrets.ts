import type { Settings } from './env.js';

/**
 * Secrets that come from settings rather than the rules file: the ingest password, the admin
 * token, the Slack token, the SMTP password and the AWS secrets. Logs and admin answers mask them
 * (promise 4).
 */
export function staticSecrets(settings: Settings): string[] {
  return [settings.ingestAuth?.password, settings.adminToken, settings.slackToken, smtpPassword(settings.smtpUrl), ...(settings.awsSecrets ?? [])].filter((s): s is string => !!s);
}

function smtpPassword(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
