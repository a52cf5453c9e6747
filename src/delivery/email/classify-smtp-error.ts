import { permanent, retry, type SendOutcome } from '../../domain/outcome.js';

interface SmtpLikeError {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

/**
 * SMTP failures as outcomes: a 4xx reply (greylisting, mailbox busy, too many connections) and a
 * dropped or refused connection heal by waiting; a 5xx reply will be the same next time. 503 is
 * "bad sequence of commands", a session fault rather than a verdict on the mail: retried.
 */
export function classifySmtpError(err: unknown): SendOutcome {
  const e = (err ?? {}) as SmtpLikeError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const said = firstLine(e.response ?? e.message);
  if (code !== null && code >= 400) {
    const text = `smtp_${code}: the mail server answered ${said}`;
    if (code < 500 || code === 503) return retry('server', text, { statusCode: code });
    return permanent(code === 530 || code === 534 || code === 535 ? 'auth' : 'client', text, code);
  }
  const errCode = typeof e.code === 'string' ? e.code : 'error';
  const text = `smtp_${errCode.toLowerCase()}: ${said}`;
  if (errCode === 'EAUTH') return permanent('auth', text);
  if (errCode === 'EENVELOPE') return permanent('client', text);
  if (errCode === 'ETIMEDOUT') return retry('timeout', text);
  return retry('network', text);
}

function firstLine(v: unknown): string {
  return String(v ?? 'unknown error').split('\n')[0]!.slice(0, 300);
}
