import { expect } from 'chai';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { emailKind } from '../../../../src/delivery/email/index.js';
import type { Destination } from '../../../../src/delivery/destination.js';
import type { RelayEvent } from '../../../../src/domain/event.js';
import type { SendOutcome } from '../../../../src/domain/outcome.js';
import type { Store } from '../../../../src/store/store.js';
import { SmtpSink } from '../../../support/smtp-sink.js';
import { checkContext, claimed, deps, fixtureEvent, spec, tempStore } from '../fixtures/delivery-fixtures.js';

const signal = new AbortController().signal;
const AUTH = { user: 'relay', password: 's3cret pass' };

describe('email destination (real SMTP sink, real SQLite store)', () => {
  let sink: SmtpSink;
  let db: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  const open: Destination[] = [];

  beforeEach(async () => {
    sink = await SmtpSink.start(AUTH);
    db = await tempStore();
    store = await db.open();
  });

  afterEach(async () => {
    for (const d of open.splice(0)) await d.close?.();
    await sink.close();
    await store.close();
    db.cleanup();
  });

  function email(options: Record<string, unknown> = {}, settings: { smtpUrl?: string | null; mailFrom?: string | null } = {}): Destination {
    const d = emailKind.create(spec('email', 'media-team', { to: ['media@example.com'], ...options }), deps(store, { smtpUrl: sink.url(AUTH), mailFrom: 'Relay <relay@example.com>', ...settings }));
    open.push(d);
    return d;
  }
  const send = (d: Destination, e: RelayEvent, id: string): Promise<SendOutcome> => d.send(claimed(e, d.name, id), signal);

  it('sends the built-in mail: subject, both bodies, links, headers', async () => {
    const o = await send(email({ cc: 'boss@example.com' }), fixtureEvent('recording'), '0190a1b2-0000-7000-8000-000000000001');
    expect(o).to.include({ kind: 'success', statusCode: 250 });
    expect(sink.logins).to.deep.equal(['relay']);
    const [m] = sink.mails;
    expect(m!.from).to.equal('relay@example.com');
    expect(m!.to).to.have.members(['media@example.com', 'boss@example.com']);
    const p = m!.parsed;
    expect(p.subject).to.equal('Recording ready: room 6750a8f1c2d3e4f5a6b7c8d9, conference 917345201');
    expect(p.messageId).to.equal('<0190a1b2-0000-7000-8000-000000000001@enx-relay>');
    expect(p.inReplyTo).to.equal(undefined);
    expect(p.headers.get('auto-submitted')).to.equal('auto-generated');
    expect(p.text).to.include('https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-1.mkv').and.include('2024-11-30 09:47 UTC');
    expect(p.html).to.be.a('string').that.includes('<a href="https://portal.enablex.io/recordings/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-2.mkv">rec-2.mkv</a>');
  });

  it('threads one session: later mails reply to the first one, another session starts its own', async () => {
    const d = email();
    await send(d, fixtureEvent('roomdrop'), 'first');
    await send(d, fixtureEvent('recording'), 'second');
    await send(d, fixtureEvent('transcoded', { conf_num: '42' }), 'other');
    await send(d, fixtureEvent('transcoded'), 'third');
    const [first, second, other, third] = sink.mails.map((m) => m.parsed);
    expect(first!.messageId).to.equal('<first@enx-relay>');
    expect(second!.inReplyTo).to.equal('<first@enx-relay>');
    expect(second!.references).to.equal('<first@enx-relay>');
    expect(third!.inReplyTo).to.equal('<first@enx-relay>');
    expect(other!.inReplyTo).to.equal(undefined);
    expect(d.orderKey(fixtureEvent('recording'))).to.equal(d.orderKey(fixtureEvent('roomdrop'))).and.not.equal(d.orderKey(fixtureEvent('roomdrop', { conf_num: '42' })));
  });

  it('a retry of the first mail keeps it the thread root (same Message-ID, no In-Reply-To)', async () => {
    const d = email();
    sink.fail('rcpt', 450, 'Mailbox busy, try later');
    expect(await send(d, fixtureEvent('roomdrop'), 'first')).to.deep.include({ kind: 'retry', statusCode: 450 });
    expect(await send(d, fixtureEvent('roomdrop'), 'first')).to.include({ kind: 'success' });
    expect(sink.mails).to.have.length(1);
    expect(sink.mails[0]!.parsed.inReplyTo).to.equal(undefined);
  });

  it('a replay of a delivered mail is a new mail: a Message-ID of its own, in the session\'s thread', async () => {
    const d = email();
    const drop = fixtureEvent('roomdrop');
    await send(d, drop, 'first');
    await send(d, fixtureEvent('recording'), 'second');
    // The session's root, then a reply, each replayed after delivery; the root's replay twice.
    await d.send(claimed(drop, d.name, 'first', 1), signal);
    await d.send(claimed(fixtureEvent('recording'), d.name, 'second', 1), signal);
    await d.send(claimed(drop, d.name, 'first', 2), signal);
    const [root, reply, rootAgain, replyAgain, rootThird] = sink.mails.map((m) => m.parsed);
    expect(root!.messageId).to.equal('<first@enx-relay>');
    const ids = [root, reply, rootAgain, replyAgain, rootThird].map((m) => m!.messageId);
    expect(new Set(ids).size).to.equal(5);
    for (const m of [reply, rootAgain, replyAgain, rootThird]) expect(m!.inReplyTo).to.equal('<first@enx-relay>');
    expect(rootAgain!.subject).to.equal(root!.subject);
  });

  it('4xx replies are retried, 5xx are permanent', async () => {
    const d = email();
    sink.fail('data', 451, 'Local error in processing');
    const soft = await send(d, fixtureEvent('roomdrop'), 'a');
    expect(soft).to.include({ kind: 'retry', statusCode: 451 });
    expect(soft.kind === 'retry' && soft.error).to.match(/^smtp_451: /);
    sink.fail('rcpt', 550, 'No such user');
    const hard = await send(d, fixtureEvent('roomdrop'), 'b');
    expect(hard).to.include({ kind: 'permanent', statusCode: 550 });
    expect(hard.kind === 'permanent' && hard.error).to.match(/^smtp_550: /);
    expect(sink.mails).to.have.length(0);
  });

  it('wrong credentials are permanent (auth), and the password is never in the error', async () => {
    const o = await send(email({}, { smtpUrl: sink.url({ user: 'relay', password: 'wrong-password' }) }), fixtureEvent('roomdrop'), 'a');
    expect(o).to.include({ kind: 'permanent', reason: 'auth' });
    expect(JSON.stringify(o)).to.not.include('wrong-password');
  });

  it('a refused connection is a network retry', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const o = await send(email({}, { smtpUrl: `smtp://127.0.0.1:${port}` }), fixtureEvent('roomdrop'), 'a');
    expect(o).to.include({ kind: 'retry', reason: 'network' });
  });

  it('without RELAY_SMTP_URL the delivery is permanent (config)', async () => {
    expect(await send(email({}, { smtpUrl: null }), fixtureEvent('roomdrop'), 'a')).to.include({ kind: 'permanent', reason: 'config' });
  });

  it('sends templated subject and bodies; from defaults when RELAY_MAIL_FROM is unset', async () => {
    const d = email({ subject: 'Size {{ file_size | bytes }}', text: 'Get it: {{ recording }}', html: '<b>{{ room_id }}</b>' }, { mailFrom: null });
    await send(d, fixtureEvent('transcoded', { room_id: 'a<b' }), 'a');
    const p = sink.mails[0]!.parsed;
    expect(sink.mails[0]!.from).to.equal('enx-relay@localhost');
    expect(p.subject).to.equal('Size 46.0 MiB');
    expect(p.text!.trim()).to.match(/^Get it: https:\/\/portal\.enablex\.io\/.*final-1\.mp4$/);
    expect(p.html).to.equal('<b>a&lt;b</b>');
  });

  it('an event value with CR, LF or other controls adds no header and leaves the subject one line', async () => {
    const room = 'r1\r\nBcc: evil@example.com\r\nX-Forged: 1\u0000\u000b\u001b[31m\u2028end';
    const d = email({ subject: 'Room {{ room_id }} ({{ type }})', text: 'Room {{ room_id }}\nok' });
    await send(d, fixtureEvent('roomdrop', { room_id: room }), 'tpl');
    await send(email(), fixtureEvent('roomdrop', { room_id: room, conf_num: '2' }), 'builtin');
    for (const m of sink.mails) {
      expect(m.to).to.deep.equal(['media@example.com']);
      expect(m.parsed.headers.has('bcc')).to.equal(false);
      expect(m.parsed.headers.has('x-forged')).to.equal(false);
      expect(m.parsed.subject).to.match(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]+$/).and.include('Bcc: evil@example.com');
      expect(m.parsed.text).not.to.match(/[\u0000-\u0008\u000b-\u001f\u007f\u2028]/);
    }
    expect(sink.mails[0]!.parsed.subject).to.equal('Room r1 Bcc: evil@example.com X-Forged: 1 [31m end (roomdrop)');
  });

  it('render() shows the mail for review and sends nothing', async () => {
    const r = await email({ cc: ['x@example.com'] }).render(fixtureEvent('file-transfer'));
    expect(r.target).to.equal('to: media@example.com; cc: x@example.com');
    expect(r.summary).to.equal('Files delivered to S3: room 6750a8f1c2d3e4f5a6b7c8d9, conference 917345201');
    expect(r.payload).to.include.keys('subject', 'text', 'html', 'from');
    expect(sink.mails).to.have.length(0);
  });
});

describe('email check()', () => {
  const check = (options: Record<string, unknown>): { path?: string; message: string }[] => emailKind.check!(spec('email', 'm', options), checkContext());

  it('accepts recipients as a string or list and good templates', () => {
    expect(check({ to: 'a@example.com, Team <t@example.com>', subject: 'Room {{ room_id }}', html: '<p>{{ type }}</p>' })).to.deep.equal([]);
    expect(check({ to: ['a@example.com'], cc: ['b@example.com'] })).to.deep.equal([]);
  });

  it('reports missing or malformed recipients and broken templates at their positions', () => {
    expect(check({ to: [] })).to.deep.equal([{ path: 'rules.yaml:to', message: 'to: at least one recipient is required' }]);
    expect(check({ to: 'not-an-address' })[0]!.message).to.equal('to: not an email address: not-an-address');
    const [p] = check({ to: 'a@example.com', subject: '{% if %}' });
    expect(p!.path).to.equal('rules.yaml:subject');
    expect(p!.message).to.match(/^subject: template does not compile/);
    expect(check({ to: 'a@example.com', subject: '{% if type == "nothing" %}x{% endif %}' })[0]!.message).to.equal('subject: renders empty (for the "roomdrop" example event)');
  });
});
