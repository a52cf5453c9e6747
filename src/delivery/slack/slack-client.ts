import type { Logger as SlackLogger, WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';

/** The part of the Web API the relay calls. */
export interface SlackApi {
  chat: Pick<WebClient['chat'], 'postMessage' | 'update'>;
}

type SlackOptions = { apiUrl: string | null; logger: Logger; timeoutMs?: number };

/**
 * A Slack Web API client whose own retries are off: the relay's schedule does the retrying, and a
 * 429 comes back at once (rather than pausing the client's whole queue, every channel with it).
 * @slack/web-api (and axios under it) is loaded with the first call: a relay without Slack
 * destinations starts without it.
 */
export function createSlackClient(token: string, opts: SlackOptions): SlackApi {
  let client: Promise<WebClient> | null = null;
  const web = (): Promise<WebClient> => (client ??= loadClient(token, opts));
  return {
    chat: {
      postMessage: async (args) => (await web()).chat.postMessage(args),
      update: async (args) => (await web()).chat.update(args),
    },
  };
}

async function loadClient(token: string, opts: SlackOptions): Promise<WebClient> {
  const { LogLevel, WebClient } = await import('@slack/web-api');
  return new WebClient(token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 15_000,
    logger: slackLogger(opts.logger, LogLevel.WARN),
    logLevel: LogLevel.WARN,
  });
}

/** The client's chatter goes to the relay's logger (its masking included), never to the console. */
function slackLogger(logger: Logger, initial: SlackLogger extends { getLevel(): infer L } ? L : never): SlackLogger {
  let level = initial;
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
