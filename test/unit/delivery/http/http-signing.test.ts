import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { HttpDestination } from '../../../../src/delivery/http/http-destination.js';
import { signingKeyProblem } from '../../../../src/delivery/http/signing.js';
import { systemClock } from '../../../../src/domain/clock.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../../../support/scripted-receiver.js';
import { SECRET, claimed, fixtureEvent, httpSpec } from './http-fixtures.js';

const never = new AbortController().signal;
const asHeaders = (h: Record<string, string | string[] | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));

describe('http destination: Standard Webhooks signing', () => {
  let rx: ScriptedReceiver;
  beforeEach(async () => {
    rx = await startScriptedReceiver();
  });
  afterEach(async () => {
    await rx.close();
  });

  const signed = (options: Record<string, unknown> = {}) => new HttpDestination(httpSpec({ url: rx.url, signing_secret: SECRET, ...options }), { clock: systemClock });

  it('a receiver using the official library accepts the original body', async () => {
    const event = fixtureEvent('recording');
    const delivery = claimed(event);
    await signed().send(delivery, never);
    const req = rx.requests[0]!;
    const verified = new Webhook(SECRET).verify(req.body, asHeaders(req.headers));
    expect(verified).to.deep.equal(event.body);
    expect(req.headers['webhook-id']).to.equal(delivery.id);
    expect(Number(req.headers['webhook-timestamp'])).to.be.closeTo(Date.now() / 1000, 60);
  });

  it('a replay after delivery is a new message: its own webhook-id, signed, the same on each of its retries', async () => {
    rx.script([{ status: 200 }, { status: 503 }, { status: 200 }, { status: 200 }]);
    const d = signed();
    const delivery = claimed(fixtureEvent('recording'));
    await d.send(delivery, never);
    // Replayed once (a 503, then its retry), then replayed again.
    await d.send({ ...delivery, replays: 1 }, never);
    await d.send({ ...delivery, replays: 1, attempts: 2 }, never);
    await d.send({ ...delivery, replays: 2 }, never);
    const ids = rx.requests.map((r) => String(r.headers['webhook-id']));
    expect(ids[0]).to.equal(delivery.id);
    expect(ids[2]).to.equal(ids[1]);
    expect(new Set([ids[0], ids[1], ids[3]]).size).to.equal(3);
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(rx.requests.map((r) => r.headers['idempotency-key'])).to.deep.equal(ids);
    // The signature covers the new id: a receiver with the official library accepts each.
    for (const req of rx.requests) expect(new Webhook(SECRET).verify(req.body, asHeaders(req.headers))).to.deep.equal(delivery.event.body);
    // Derived, not random: the same replay of the same delivery has the same id after a restart.
    const restarted = signed();
    await restarted.send({ ...delivery, replays: 1, attempts: 3 }, never);
    await Promise.all([d.close(), restarted.close()]);
    expect(rx.requests.at(-1)!.headers['webhook-id']).to.equal(ids[1]);
  });

  it('and a templated body', async () => {
    await signed({ body: '{"room": {{ room_id | json }}}' }).send(claimed(fixtureEvent('roomdrop')), never);
    const req = rx.requests[0]!;
    expect(new Webhook(SECRET).verify(req.body, asHeaders(req.headers))).to.deep.equal({ room: '6750a8f1c2d3e4f5a6b7c8d9' });
  });

  it('the same secret without the whsec_ prefix signs the same way', async () => {
    await signed({ signing_secret: SECRET.slice('whsec_'.length) }).send(claimed(fixtureEvent('roomdrop')), never);
    const req = rx.requests[0]!;
    expect(() => new Webhook(SECRET).verify(req.body, asHeaders(req.headers))).not.to.throw();
  });

  it('a tampered body, another id or another secret fails verification', async () => {
    await signed().send(claimed(fixtureEvent('recording')), never);
    const req = rx.requests[0]!;
    const headers = asHeaders(req.headers);
    const tampered = Buffer.from(req.body.toString('utf8').replace('recording', 'roomdrop'));
    expect(() => new Webhook(SECRET).verify(tampered, headers)).to.throw(/signature/i);
    expect(() => new Webhook(SECRET).verify(req.body, { ...headers, 'webhook-id': 'other' })).to.throw(/signature/i);
    const other = 'whsec_' + Buffer.from('another-secret-of-24-byt').toString('base64');
    expect(() => new Webhook(other).verify(req.body, headers)).to.throw(/signature/i);
  });

  it('each retry is signed again, under the same webhook-id', async () => {
    rx.script([{ status: 500 }]);
    const delivery = claimed(fixtureEvent('transcoded'));
    const d = signed();
    await d.send(delivery, never);
    await d.send({ ...delivery, attempts: 2 }, never);
    expect(rx.requests).to.have.length(2);
    for (const req of rx.requests) {
      expect(req.headers['webhook-id']).to.equal(delivery.id);
      expect(() => new Webhook(SECRET).verify(req.body, asHeaders(req.headers))).not.to.throw();
    }
  });

  describe('which secrets are usable', () => {
    it('accepts whsec_ + base64 of 24 bytes or more, prefix optional', () => {
      expect(signingKeyProblem(SECRET)).to.equal(null);
      expect(signingKeyProblem(SECRET.slice(6))).to.equal(null);
      expect(signingKeyProblem('whsec_' + Buffer.alloc(32, 7).toString('base64'))).to.equal(null);
    });

    for (const [what, secret] of [
      ['empty', ''],
      ['only the prefix', 'whsec_'],
      ['a passphrase', 'correct horse battery staple'],
      ['not base64', 'whsec_%%%%not-base64%%%%'],
      ['too short', 'whsec_' + Buffer.from('short').toString('base64')],
      ['badly padded base64', 'whsec_' + Buffer.alloc(25, 1).toString('base64').replace(/=+$/, '')],
    ] as const) {
      it(`refuses ${what}, without echoing it`, () => {
        const problem = signingKeyProblem(secret);
        expect(problem).to.be.a('string');
        if (secret.length >= 8) expect(problem).not.to.contain(secret);
      });
    }
  });
});
