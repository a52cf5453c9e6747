import { expect } from 'chai';
import { ChannelLimiter } from '../../../../src/delivery/slack/channel-limiter.js';

describe('ChannelLimiter', () => {
  it('spaces one channel one second apart without touching another', () => {
    const l = new ChannelLimiter(1000, 3000);
    expect(l.reserve('#a', 0)).to.deep.equal({ ok: true, waitMs: 0 });
    expect(l.reserve('#a', 100)).to.deep.equal({ ok: true, waitMs: 900 });
    expect(l.reserve('#a', 100)).to.deep.equal({ ok: true, waitMs: 1900 });
    expect(l.reserve('#b', 100)).to.deep.equal({ ok: true, waitMs: 0 });
  });

  it('refuses a wait longer than the maximum, without taking a slot', () => {
    const l = new ChannelLimiter(1000, 1500);
    l.reserve('#a', 0);
    l.reserve('#a', 0);
    expect(l.reserve('#a', 0)).to.deep.equal({ ok: false, waitMs: 2000 });
    expect(l.reserve('#a', 1000)).to.deep.equal({ ok: true, waitMs: 1000 });
  });

  it('a pause (429 Retry-After) holds the channel until then', () => {
    const l = new ChannelLimiter(1000, 3000);
    l.pause('#a', 30_000);
    expect(l.reserve('#a', 0).ok).to.equal(false);
    expect(l.reserve('#a', 29_000)).to.deep.equal({ ok: true, waitMs: 1000 });
    expect(l.reserve('#b', 0).waitMs).to.equal(0);
  });
});
