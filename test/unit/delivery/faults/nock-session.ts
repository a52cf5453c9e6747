import nock from 'nock';

// nock takes over http and fetch as soon as it is imported; the other suites of this process
// talk to real servers on 127.0.0.1, so it is switched off again at once and on only around
// the suites that use it.
if (nock.isActive()) nock.restore();

/** mocha hooks for a suite that intercepts with nock: no real connection leaves meanwhile. */
export function useNock(): void {
  before(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  after(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}

export { nock };
