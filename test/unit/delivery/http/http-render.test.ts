import { expect } from 'chai';
import { HttpDestination } from '../../../../src/delivery/http/http-destination.js';
import { maskHeaders } from '../../../../src/delivery/http/mask-headers.js';
import { systemClock } from '../../../../src/domain/clock.js';
import { TemplateError } from '../../../../src/errors.js';
import { version } from '../../../../src/version.js';
import { SECRET, fixtureEvent, httpSpec } from './http-fixtures.js';

const TOKEN = 'tok_0123456789abcdef';

describe('http destination: render (what `enx-relay route` shows)', () => {
  const dest = (options: Record<string, unknown> = {}) =>
    new HttpDestination(httpSpec({ url: 'https://archive.internal/hooks', headers: { Authorization: `Bearer ${TOKEN}`, 'X-Api-Key': TOKEN, 'X-Team': 'media' }, ...options }), {
      clock: systemClock,
    });

  it('shows the target, the original body as JSON, and headers with secrets masked', async () => {
    const event = fixtureEvent('recording');
    const r = await dest({ signing_secret: SECRET }).render(event);
    expect(r.target).to.equal('POST https://archive.internal/hooks');
    expect(r.summary).to.contain('recording').and.contain('original body').and.contain('signed');
    const payload = r.payload as { headers: Record<string, string>; body: unknown };
    expect(payload.body).to.deep.equal(event.body);
    expect(payload.headers).to.include({
      authorization: 'Bearer [redacted]',
      'x-api-key': '[redacted]',
      'x-team': 'media',
      'content-type': 'application/json',
      'user-agent': `enx-relay/${version}`,
    });
    expect(payload.headers).to.have.property('webhook-signature');
    expect(JSON.stringify(r)).not.to.contain(TOKEN).and.not.to.contain(SECRET).and.not.to.contain(SECRET.slice(6));
  });

  it('an original body that is not JSON is shown as text', async () => {
    const event = fixtureEvent('roomdrop', 'text/plain');
    event.raw = Buffer.from('type=roomdrop&room_id=1');
    const r = await dest().render(event);
    expect((r.payload as { body: unknown }).body).to.equal('type=roomdrop&room_id=1');
  });

  it('a template body is shown rendered', async () => {
    const r = await dest({ method: 'PATCH', body: '{"room": {{ room_id | json }}, "n": {{ files | size }}}' }).render(fixtureEvent('recording'));
    expect(r.target).to.equal('PATCH https://archive.internal/hooks');
    expect((r.payload as { body: unknown }).body).to.deep.equal({ room: '6750a8f1c2d3e4f5a6b7c8d9', n: 2 });
  });

  it('a template that cannot produce JSON for the event throws TemplateError', async () => {
    let err: unknown;
    try {
      await dest({ body: '{"files": {{ files }}}' }).render(fixtureEvent('roomdrop'));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(TemplateError);
  });

  it('masking keeps an auth scheme, hides other credential headers, and leaves the rest', () => {
    expect(
      maskHeaders({ Authorization: 'Basic dXNlcjpwYXNz', Cookie: 'sid=1', 'X-Auth-Token': 'abc', 'idempotency-key': 'id-1', Accept: 'application/json' }),
    ).to.deep.equal({ Authorization: 'Basic [redacted]', Cookie: '[redacted]', 'X-Auth-Token': '[redacted]', 'idempotency-key': 'id-1', Accept: 'application/json' });
  });
});
