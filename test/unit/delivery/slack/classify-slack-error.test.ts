import { expect } from 'chai';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { classifySlackError } from '../../../../src/delivery/slack/classify-slack-error.js';

const platform = (error: string): WebAPIPlatformError => new WebAPIPlatformError({ ok: false, error });

describe('classifySlackError', () => {
  const permanentCases: [string, string][] = [
    ['channel_not_found', 'client'], ['not_in_channel', 'client'], ['is_archived', 'client'], ['invalid_blocks', 'client'],
    ['msg_too_long', 'client'], ['no_text', 'client'], ['invalid_auth', 'auth'], ['account_inactive', 'auth'],
    ['token_revoked', 'auth'], ['missing_scope', 'auth'],
  ];
  for (const [code, reason] of permanentCases) {
    it(`${code} is permanent (${reason}) with reason code slack_${code}`, () => {
      const o = classifySlackError(platform(code), '#ops');
      expect(o).to.include({ kind: 'permanent', reason });
      expect(o.kind !== 'success' && o.error).to.match(new RegExp(`^slack_${code}: `));
    });
  }

  for (const code of ['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'some_new_error']) {
    it(`${code} is retried`, () => {
      const o = classifySlackError(platform(code), '#ops');
      expect(o.kind).to.equal('retry');
      expect(o.kind !== 'success' && o.error).to.match(new RegExp(`^slack_${code}: `));
    });
  }

  it('a 429 is a rate-limited retry after Retry-After', () => {
    expect(classifySlackError(new WebAPIRateLimitedError(30), '#ops')).to.deep.include({ kind: 'retry', reason: 'rate_limited', retryAfterMs: 30_000, statusCode: 429 });
  });

  it('HTTP 5xx is retried, other HTTP 4xx are permanent', () => {
    expect(classifySlackError(new WebAPIHTTPError(503, 'Service Unavailable', {}), '#ops')).to.include({ kind: 'retry', statusCode: 503 });
    expect(classifySlackError(new WebAPIHTTPError(404, 'Not Found', {}), '#ops')).to.include({ kind: 'permanent', statusCode: 404 });
  });

  it('request errors and timeouts are retried', () => {
    expect(classifySlackError(new WebAPIRequestError(new Error('connect ECONNREFUSED')), '#ops')).to.include({ kind: 'retry', reason: 'network' });
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(classifySlackError(new WebAPIRequestError(timeout), '#ops')).to.include({ kind: 'retry', reason: 'timeout' });
  });
});
