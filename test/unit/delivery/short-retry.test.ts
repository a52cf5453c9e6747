import { expect } from 'chai';
import { isTransientConnectionError, shortRetry } from '../../../src/delivery/short-retry.js';

const fetchFailed = (code: string): TypeError => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

/** Calls `fail` errors in turn, then resolves 'ok'; counts calls. */
function flaky(fail: unknown[]): { fn: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    fn: async () => {
      const err = fail[n++];
      if (err !== undefined) throw err;
      return 'ok';
    },
    calls: () => n,
  };
}

async function settle<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await p };
  } catch (error) {
    return { error };
  }
}

describe('short in-attempt retries', () => {
  for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'EAI_AGAIN', 'EPIPE']) {
    it(`retries ${code} and returns the later success`, async () => {
      const f = flaky([fetchFailed(code)]);
      expect(await shortRetry(f.fn, { minTimeoutMs: 1 })).to.equal('ok');
      expect(f.calls()).to.equal(2);
    });
  }

  it('gives up after 2 retries (3 tries) with the last error', async () => {
    const last = fetchFailed('ECONNRESET');
    const f = flaky([fetchFailed('ECONNRESET'), fetchFailed('ECONNRESET'), last, fetchFailed('ECONNRESET')]);
    const r = await settle(shortRetry(f.fn, { minTimeoutMs: 1 }));
    expect(r.error).to.equal(last);
    expect(f.calls()).to.equal(3);
  });

  const notRetried: [string, unknown][] = [
    ['a refused connection (the receiver is down: the schedule waits)', fetchFailed('ECONNREFUSED')],
    ['a timeout', new DOMException('timed out', 'TimeoutError')],
    ['a shutdown abort', new DOMException('aborted', 'AbortError')],
    ['an unknown host', fetchFailed('ENOTFOUND')],
    ['a plain error', new Error('boom')],
  ];
  for (const [what, err] of notRetried) {
    it(`does not retry ${what}`, async () => {
      const f = flaky([err]);
      const r = await settle(shortRetry(f.fn, { minTimeoutMs: 1 }));
      expect(r.error).to.equal(err);
      expect(f.calls()).to.equal(1);
      expect(isTransientConnectionError(err)).to.equal(false);
    });
  }

  it('never retries a resolved value, whatever it is (an HTTP answer)', async () => {
    let n = 0;
    const res = await shortRetry(async () => {
      n++;
      return { status: 503 };
    });
    expect(res).to.deep.equal({ status: 503 });
    expect(n).to.equal(1);
  });

  it('stops waiting when the shutdown signal aborts', async () => {
    const ctl = new AbortController();
    const f = flaky([fetchFailed('ECONNRESET'), fetchFailed('ECONNRESET')]);
    const p = settle(shortRetry(f.fn, { signal: ctl.signal, minTimeoutMs: 60_000 }));
    ctl.abort();
    const r = await p;
    expect((r.error as Error).name).to.equal('AbortError');
    expect(f.calls()).to.equal(1);
  });
});
