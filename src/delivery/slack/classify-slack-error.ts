import type { ErrorCode as SlackErrorCode } from '@slack/web-api';
import { permanent, retry, type FailureReason, type SendOutcome } from '../../domain/outcome.js';

/**
 * @slack/web-api's error codes (its ErrorCode enum), spelled out so that classifying an error
 * does not load the package.
 */
const ErrorCode = {
  RequestError: 'slack_webapi_request_error',
  HTTPError: 'slack_webapi_http_error',
  PlatformError: 'slack_webapi_platform_error',
  RateLimitedError: 'slack_webapi_rate_limited_error',
} as const satisfies { readonly [K in keyof typeof SlackErrorCode]?: `${(typeof SlackErrorCode)[K]}` };

/** Slack errors that waiting cannot heal: the delivery goes straight to dead with the reason. */
const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'missing_scope', 'no_permission', 'ekm_access_denied', 'not_allowed_token_type', 'team_access_not_granted']);
const CLIENT_ERRORS = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'no_text',
  'too_many_attachments', 'restricted_action', 'restricted_action_read_only_channel', 'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel', 'cannot_reply_to_message', 'message_not_found', 'cant_update_message',
  'edit_window_closed', 'invalid_arguments', 'invalid_arg_name', 'invalid_charset', 'invalid_form_data', 'invalid_post_type',
  'missing_post_type', 'duplicate_channel_not_found', 'duplicate_message_not_found', 'channel_type_not_supported',
  'team_not_found', 'method_deprecated', 'deprecated_endpoint', 'invalid_metadata_format', 'invalid_metadata_schema',
  'metadata_too_large', 'as_user_not_supported', 'slack_connect_file_link_sharing_blocked',
]);
/** Known transient platform errors; an unknown error is retried too, and ends dead after the schedule. */
const TRANSIENT_ERRORS = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Slack's error codes are short snake_case words. */
const SLACK_CODE = /^[a-z0-9_.]{1,80}$/;

interface SlackLikeError {
  code?: unknown;
  data?: { error?: unknown };
  retryAfter?: unknown;
  statusCode?: unknown;
  original?: { name?: unknown; message?: unknown };
  message?: unknown;
}

/** One Slack API failure as a send outcome. `where` names the channel for the readable text. */
export function classifySlackError(err: unknown, where: string): SendOutcome {
  const e = (err ?? {}) as SlackLikeError;
  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
      return retry('rate_limited', `slack_rate_limited: Slack asked to wait ${seconds}s before posting to ${where}`, { statusCode: 429, retryAfterMs: seconds * 1000 });
    }
    case ErrorCode.PlatformError: {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      // The client reports a 200 whose body is not JSON (a proxy's page, a cut-off answer) as a
      // platform error whose "code" is that body: not Slack's word, and maybe posted anyway.
      if (!SLACK_CODE.test(code)) return retry('server', `slack_malformed_reply: Slack's answer for ${where} was not its JSON: ${firstLine(JSON.stringify(code.slice(0, 120)))}`, { statusCode: 200 });
      const text = `slack_${code}: Slack refused the message to ${where} (${code})`;
      if (AUTH_ERRORS.has(code)) return permanent('auth', text, 200);
      if (CLIENT_ERRORS.has(code)) return permanent('client', text, 200);
      const reason: FailureReason = code === 'ratelimited' || code === 'rate_limited' ? 'rate_limited' : 'server';
      return retry(reason, TRANSIENT_ERRORS.has(code) ? text : `${text}, an error not known to be permanent`, { statusCode: 200 });
    }
    case ErrorCode.HTTPError: {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      const text = `slack_http_${status}: Slack answered HTTP ${status} for ${where}`;
      if (status === 408) return retry('timeout', text, { statusCode: status });
      if (status >= 500 || status === 425 || status === 429) return retry('server', text, { statusCode: status });
      return permanent(status === 401 || status === 403 ? 'auth' : 'client', text, status);
    }
    case ErrorCode.RequestError: {
      const name = String(e.original?.name ?? '');
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      return retry(timedOut ? 'timeout' : 'network', `slack_${timedOut ? 'timeout' : 'request_error'}: ${firstLine(e.original?.message)} (${where})`);
    }
    default:
      return retry('network', `slack_error: ${firstLine(e.message)} (${where})`);
  }
}

function firstLine(v: unknown): string {
  return String(v ?? 'unknown error').split('\n')[0]!.slice(0, 300);
}
