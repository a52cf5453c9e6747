import { expect } from 'chai';
import { classifyHttpStatus, classifyNetworkError, errorCode } from '../../../src/delivery/outcome.js';
import { HTTP_STATUS_TABLE, STATUS_TABLE_NOW } from '../../support/http-status-table.js';

/** What undici's fetch throws: TypeError('fetch failed') wrapping the socket's error. */
function fetchFailed(code: string, message = code): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

describe('delivery outcome classification', () => {
  describe('classifyHttpStatus: the shared status table', () => {
    for (const c of HTTP_STATUS_TABLE) {
      it(`${c.status}${c.retryAfter ? ` with Retry-After "${c.retryAfter}"` : ''} -> ${c.kind}${c.reason ? ` (${c.reason})` : ''}`, () => {
        const out = classifyHttpStatus(c.status, c.retryAfter, STATUS_TABLE_NOW, 'body text');
        expect(out.kind).to.equal(c.kind);
        expect(out.kind !== 'deferred' && out.statusCode).to.equal(c.status);
        if (out.kind !== 'success') {
          expect(out.reason).to.equal(c.reason);
          expect(out.error).to.match(new RegExp(`^HTTP ${c.status}\\b.*body text`));
        }
        if (out.kind === 'retry') expect(out.retryAfterMs).to.equal(c.retryAfterMs);
      });
    }

    it('a redirect says the configured url must change', () => {
      const out = classifyHttpStatus(301, null, STATUS_TABLE_NOW);
      expect(out.kind === 'permanent' && out.error).to.match(/redirects are not followed/);
    });
  });

  describe('classifyNetworkError', () => {
    it('a timeout is retryable, reason timeout', () => {
      const out = classifyNetworkError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), { timeoutMs: 250 });
      expect(out).to.deep.include({ kind: 'retry', reason: 'timeout' });
      expect(out.kind !== 'success' && out.error).to.contain('250 ms');
    });

    it('undici timeouts count as timeouts', () => {
      expect(classifyNetworkError(fetchFailed('UND_ERR_HEADERS_TIMEOUT'))).to.deep.include({ kind: 'retry', reason: 'timeout' });
      expect(classifyNetworkError(fetchFailed('UND_ERR_CONNECT_TIMEOUT'))).to.deep.include({ kind: 'retry', reason: 'timeout' });
    });

    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'CERT_HAS_EXPIRED']) {
      it(`${code} is a retryable network error naming the cause`, () => {
        const out = classifyNetworkError(fetchFailed(code, `connect ${code} 127.0.0.1:9`));
        expect(out).to.deep.include({ kind: 'retry', reason: 'network' });
        expect(out.kind !== 'success' && out.error).to.contain(code);
      });
    }

    it('a connect to several addresses (AggregateError) gives the first code', () => {
      const agg = new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:9'), { code: 'ECONNREFUSED' })], 'all failed');
      const err = new TypeError('fetch failed', { cause: agg });
      expect(errorCode(err)).to.equal('ECONNREFUSED');
      expect(classifyNetworkError(err)).to.deep.include({ kind: 'retry', reason: 'network' });
    });

    it('a shutdown abort is a retry (the next worker sends it)', () => {
      expect(classifyNetworkError(new DOMException('This operation was aborted', 'AbortError'))).to.deep.include({ kind: 'retry', reason: 'network' });
    });

    it('a request fetch refuses to build is permanent: no attempt will succeed', () => {
      const out = classifyNetworkError(new TypeError('Headers.append: "a\nb" is an invalid header value.'));
      expect(out).to.deep.include({ kind: 'permanent', reason: 'config' });
    });

    it('an unknown error is retryable (the schedule bounds it)', () => {
      expect(classifyNetworkError(new Error('weird'))).to.deep.include({ kind: 'retry', reason: 'network', error: 'weird' });
    });
  });
});
