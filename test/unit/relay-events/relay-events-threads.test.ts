import { expect } from 'chai';
import { createSlackKind, ChannelLimiter } from '../../../src/delivery/slack/index.js';
import { emailKind } from '../../../src/delivery/email/index.js';
import { createRelayEvent } from '../../../src/relay-events/create-relay-event.js';
import type { Store } from '../../../src/store/store.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { claimed, deps, fixtureEvent, spec, tempStore } from '../delivery/fixtures/delivery-fixtures.js';

/** A relay event about a session joins its thread; one about no session starts none. */
describe('relay events in Slack and mail threads', () => {
  let fake: FakeSlack;
  let db: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;

  beforeEach(async () => {
    fake = await FakeSlack.start({ tokens: ['xoxb-t'] });
    db = await tempStore();
    store = await db.open();
  });
  afterEach(async () => {
    await store.close();
    await fake.close();
    db.cleanup();
  });

  function slack() {
    const kind = createSlackKind({ limiter: new ChannelLimiter(0, 3000), sleep: async () => undefined });
    return kind.create(spec('slack', 'ops', { channel: '#ops' }), deps(store, { slackToken: 'xoxb-t', slackApiUrl: fake.url }));
  }

  it('one about a session replies in the session\'s thread; one about none is a message of its own', async () => {
    const d = slack();
    const recording = fixtureEvent('recording');
    const session = { appId: recording.appId, roomId: recording.roomId, confNum: recording.confNum };
    const about = createRelayEvent({ type: 'relay.test.session', session, fields: {}, once: '1' }, new Date());
    const none = createRelayEvent({ type: 'relay.test.nobody', fields: {}, once: '2' }, new Date());
    expect(d.orderKey(about)).to.equal(d.orderKey(recording), 'ordered with the session\'s other messages');
    expect(d.orderKey(none)).to.equal(null);
    for (const e of [recording, about, none]) expect((await d.send(claimed(e, 'ops'), new AbortController().signal)).kind).to.equal('success');
    const [parent, reply, alone] = fake.posted();
    expect(reply!.thread_ts).to.equal(parent!.ts);
    expect(alone!.thread_ts).to.equal(undefined);
    expect(alone!.text).to.match(/^enx-relay: relay\.test\.nobody/);
    // No thread state was made for the empty session.
    expect(await store.getState('slack:ops:#ops://')).to.equal(null);
  });

  it('mail: one about no session is not threaded under anything', () => {
    const d = emailKind.create(spec('email', 'team', { to: 'team@example.com' }), deps(store, {}));
    expect(d.orderKey(createRelayEvent({ type: 'relay.test.nobody', fields: {}, once: '3' }, new Date()))).to.equal(null);
    expect(d.orderKey(fixtureEvent('roomdrop'))).to.be.a('string');
  });
});
