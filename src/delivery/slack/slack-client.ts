import { LogLevel, WebClient, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../logger.js';

/**
 * A Slack Web API client whose own retries are off: the relay's schedule does the retrying, and a
 * 429 comes back at once (rather than pausing the client's whole queue, every channel with it).
 */
export function createSlackClient(token: string, opts: { apiUrl: string | null; logger: Logger; timeoutMs?: number }): WebClient {
  return new WebClient(token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 15_000,
    logger: slackLogger(opts.logger),
    logLevel: LogLevel.WARN,
  });
}

/** The client's chatter goes to the relay's logger (its masking included), never to the console. */
function slackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const line = (msg: unknown[]): string => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => logger.debug({ component: 'slack-client' }, line(msg)),
    info: (...msg) => logger.debug({ component: 'slack-client' }, line(msg)),
    warn: (...msg) => logger.debug({ component: 'slack-client' }, line(msg)),
    error: (...msg) => logger.warn({ component: 'slack-client' }, line(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
