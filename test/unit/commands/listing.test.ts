import { expect } from 'chai';
import { deliveryState } from '../../../src/commands/delivery-state.js';
import { listing } from '../../../src/commands/events.js';
import { fitMiddle } from '../../../src/commands/fit-text.js';
import { formatTime } from '../../../src/commands/format-time.js';
import type { Delivery } from '../../../src/domain/delivery.js';
import type { EventSummary } from '../../../src/store/store.js';

const delivery = (over: Partial<Delivery>): Delivery => ({
  id: 'd-1',
  destination: 'archive',
  route: 'all',
  orderKey: null,
  eventId: 'e-1',
  status: 'pending',
  attempts: 0,
  nextAttemptAt: '2026-11-27T10:20:00.000Z',
  leaseUntil: null,
  lastError: null,
  createdAt: '2026-11-27T10:16:41.000Z',
  updatedAt: '2026-11-27T10:16:41.000Z',
  replays: 0,
  ...over,
});

describe('commands: events listing', () => {
  const tz = process.env['TZ'];
  before(() => {
    process.env['TZ'] = 'Asia/Kolkata';
  });
  after(() => {
    if (tz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = tz;
  });

  it('prints times in the local zone with its offset', () => {
    expect(formatTime('2026-11-27T10:16:41.000Z')).to.equal('2026-11-27 15:46:41+05:30');
    expect(formatTime(null)).to.equal('-');
  });

  it('says the current state: no old error beside "delivered", "replayed" before the replayed try', () => {
    const error = 'client: HTTP 410 from https://archive.example.com/hook: gone for good';
    expect(deliveryState(delivery({ status: 'delivered', attempts: 1, lastError: error }))).to.equal('delivered (1 try)');
    expect(deliveryState(delivery({ status: 'pending', attempts: 0, lastError: error }))).to.equal('pending (replayed, due 2026-11-27 15:50:00+05:30)');
    // Replayed after delivery: no error to show, still a replay; delivered, it says which one.
    expect(deliveryState(delivery({ status: 'pending', attempts: 0, replays: 1 }))).to.equal('pending (replayed, due 2026-11-27 15:50:00+05:30)');
    expect(deliveryState(delivery({ status: 'delivered', attempts: 1, replays: 2 }))).to.equal('delivered (1 try, as replay 2)');
    expect(deliveryState(delivery({ status: 'pending', attempts: 2, lastError: 'server: HTTP 503' }))).to.equal('pending (retry after 2 tries, due 2026-11-27 15:50:00+05:30): server: HTTP 503');
    expect(deliveryState(delivery({ status: 'dead', attempts: 1, lastError: error }))).to.equal(`dead after 1 try: ${error}`);
    expect(deliveryState(delivery({ status: 'delivering', attempts: 3 }))).to.equal('delivering (try 3 in flight)');
  });

  it('cuts long text in the middle: the start and the end of an error stay', () => {
    const error = 'gave up after 9 attempts: server: HTTP 503 from https://archive.example.com/a/very/long/path: upstream connect error';
    const cut = fitMiddle(error, 60);
    expect(cut).to.have.length(60);
    expect(cut.startsWith('gave up after 9')).to.equal(true);
    expect(cut.endsWith('upstream connect error')).to.equal(true);
    expect(fitMiddle('short', 60)).to.equal('short');
  });

  it('fits the width it is given, and escapes what an event may carry', () => {
    const events: EventSummary[] = [
      {
        id: '0193a2b4-7c1d-7e2f-9a3b-4c5d6e7f8091',
        type: 'recording',
        appId: '64f0c1a2e7b9d81f2c3a4b5c',
        roomId: 'room\u001b[2J\nfake line',
        confNum: '917345201',
        receivedAt: '2026-11-27T10:16:41.000Z',
        deliveries: [delivery({ status: 'dead', attempts: 1, lastError: `client: HTTP 410 ${'x'.repeat(200)} gone for good` }), delivery({ destination: 'console', status: 'delivered', attempts: 1 })],
      },
    ];
    const out = listing(events, 160).split('\n');
    expect(out).to.have.length(3);
    for (const line of out) expect(line.length).to.be.at.most(160);
    expect(out[0]).to.equal('2026-11-27 15:46:41+05:30  0193a2b4-7c1d-7e2f-9a3b-4c5d6e7f8091  recording  64f0c1a2e7b9d81f2c3a4b5c / room\\u001b[2J fake line / 917345201');
    expect(out[1]).to.match(/^    archive  dead after 1 try: client: HTTP 410 x+…x+ gone for good$/);
    expect(out[2]).to.equal('    console  delivered (1 try)');
    const narrow = listing(events, 80).split('\n');
    expect(narrow.every((l) => l.length <= 80), narrow.join('\n')).to.equal(true);
    expect(narrow[1]).to.match(/^    session 64f0c1a2e7b9d81f2c3a4b5c \/ room/);
    expect(listing(events, Infinity).split('\n')[1]).to.include('x'.repeat(200));
  });
});
