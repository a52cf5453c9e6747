import { expect } from 'chai';
import { parseRules } from '../../../src/config/rules.js';
import { buildMail } from '../../../src/delivery/email/build-mail.js';
import { destinationKinds } from '../../../src/delivery/kinds.js';
import { logLine } from '../../../src/delivery/log/log-line.js';
import { describeEvent } from '../../../src/delivery/messages/describe-event.js';
import { buildSlackMessage } from '../../../src/delivery/slack/build-slack-message.js';
import { eventView } from '../../../src/domain/event-view.js';
import type { RelayEvent } from '../../../src/domain/event.js';
import { exampleEvents } from '../../../src/ingest/examples.js';
import { RELAY_EVENT_TYPES, relayEventFields } from '../../../src/relay-events/catalog.js';
import { createRelayEvent } from '../../../src/relay-events/create-relay-event.js';
import { failingAnnouncement, formatDuration, recoveredAnnouncement } from '../../../src/relay-events/types/destination-health.js';
import { routeEvent } from '../../../src/routing/route-event.js';
import { slackLimitProblem } from '../../support/fake-slack.js';

const AT = new Date('2026-03-01T09:30:00Z');
const HOSTILE = '<!channel> <https://evil.example|click> <@U123> &amp; `code`';

function failing(over: Partial<Parameters<typeof failingAnnouncement>[0]> = {}): RelayEvent {
  return createRelayEvent(
    failingAnnouncement({
      destination: 'api-hook',
      episode: 3,
      failingSince: '2026-03-01T09:12:00.000Z',
      failingAfterMs: 600_000,
      lastSuccessAt: '2026-03-01T09:12:00.000Z',
      lastErrors: [
        { at: '2026-03-01T09:20:00.000Z', error: 'HTTP 502 Bad Gateway' },
        { at: '2026-03-01T09:29:00.000Z', error: `HTTP 503 Service Unavailable: ${HOSTILE}` },
      ],
      waiting: 12,
      oldestWaitingAt: '2026-03-01T09:11:00.000Z',
      ...over,
    }),
    AT,
  );
}

const recovered = (): RelayEvent =>
  createRelayEvent(recoveredAnnouncement({ destination: 'api-hook', episode: 3, failingSince: '2026-03-01T09:12:00.000Z', recoveredAt: '2026-03-01T09:34:30.000Z' }), AT);

function rules(text: string) {
  const r = parseRules(text, 'rules.yaml', { env: {}, kinds: destinationKinds, examples: exampleEvents() });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.rules;
}

describe('relay.destination.failing / .recovered', () => {
  it('are in the catalog, with their fields known to the template checks', () => {
    expect(RELAY_EVENT_TYPES).to.include.members(['relay.destination.failing', 'relay.destination.recovered']);
    expect(relayEventFields()).to.include.members(['destination', 'failing_since', 'last_errors', 'waiting', 'oldest_waiting_at', 'recovered_at', 'down_for']);
  });

  it('failing: the event about its destination, once per episode', () => {
    const e = failing();
    expect(e.body).to.deep.include({ type: 'relay.destination.failing', origin: 'enx-relay', about: { destination: 'api-hook' }, destination: 'api-hook', episode: 3, waiting: 12, failing_after: '10m' });
    expect(failing().dedupeKey).to.equal(e.dedupeKey);
    expect(failing({ episode: 4 }).dedupeKey).to.not.equal(e.dedupeKey);
    expect(recovered().dedupeKey).to.not.equal(e.dedupeKey);
  });

  it('failing: the built-in message names the destination, what waits, and the last errors, newest first', () => {
    const d = describeEvent(eventView(failing()));
    expect(d.known).to.equal(true);
    expect(d.title).to.equal('Destination api-hook is failing');
    expect(d.headline).to.match(/^Nothing reached api-hook for 10m or more while 12 deliveries waited; last error: HTTP 503/);
    expect(d.facts.map((f) => `${f.label}=${f.value}`)).to.include.members(['Destination=api-hook', 'Waiting=12', 'Last success=2026-03-01T09:12:00.000Z']);
    expect(d.notes[0]).to.match(/^2026-03-01T09:29:00.000Z: HTTP 503/);
    expect(d.notes[1]).to.equal('2026-03-01T09:20:00.000Z: HTTP 502 Bad Gateway');
    expect(slackLimitProblem({ ...buildSlackMessage(d) })).to.equal(null);
    const mail = buildMail(d, 'id');
    // About a destination, not a session: no "room ?, conference ?" in the subject.
    expect(mail.subject).to.equal('Destination api-hook is failing');
    expect(buildMail(describeEvent(eventView(recovered())), 'id').subject).to.equal('Destination api-hook recovered');
    expect(mail.text).to.include('HTTP 502 Bad Gateway');
    expect(logLine(failing())).to.match(/^destination api-hook is failing · api-hook: 12 waiting since 2026-03-01T09:11:00.000Z, last error: HTTP 503/);
  });

  it('failing with no success yet, and one stored by another version, still render', () => {
    expect(describeEvent(eventView(failing({ lastSuccessAt: null, lastErrors: [], waiting: 1 }))).headline).to.equal('Nothing reached api-hook for 10m or more while 1 delivery waited.');
    const odd = createRelayEvent({ type: 'relay.destination.failing', once: 'x', fields: { destination: 7, last_errors: 'no', waiting: 'many' } }, AT);
    const d = describeEvent(eventView(odd));
    expect(d.title).to.equal('Destination 7 is failing');
    expect(slackLimitProblem({ ...buildSlackMessage(d) })).to.equal(null);
  });

  it("a receiver's error text stays inert in Slack and mail", () => {
    const d = describeEvent(eventView(failing()));
    const slack = JSON.stringify(buildSlackMessage(d));
    expect(slack).to.not.include('<!channel>').and.not.include('<@U123>').and.not.include('<https://evil');
    const mail = buildMail(d, 'id');
    expect(mail.html).to.not.include('<!channel>').and.not.include('<https://evil');
  });

  it('recovered: how long it was down', () => {
    const e = recovered();
    expect(e.body).to.deep.include({ destination: 'api-hook', episode: 3, recovered_at: '2026-03-01T09:34:30.000Z', down_for: '22m 30s', down_for_seconds: 1350, about: { destination: 'api-hook' } });
    const d = describeEvent(eventView(e));
    expect(d.title).to.equal('Destination api-hook recovered');
    expect(d.headline).to.equal('api-hook accepts deliveries again, after failing for 22m 30s.');
    expect(slackLimitProblem({ ...buildSlackMessage(d) })).to.equal(null);
    expect(logLine(e)).to.match(/^destination api-hook recovered · api-hook after 22m 30s/);
  });

  it('durations read as people say them', () => {
    expect([0, 999, 1000, 61_000, 3_600_000, 90_061_000].map(formatDuration)).to.deep.equal(['0s', '1s', '1s', '1m 1s', '1h', '1d 1h']);
  });

  describe('are never delivered to the destination they are about', () => {
    const DESTS = 'version: 1\ndestinations:\n  api-hook: { log: {} }\n  ops: { log: {} }\n  pager: { log: {} }\n';
    const to = (text: string, e: RelayEvent): string[] => routeEvent(rules(text), eventView(e)).deliveries.map((d) => d.destination);

    for (const [name, make] of [
      ['failing', () => failing()],
      ['recovered', recovered],
    ] as const) {
      it(`${name}: by a catch-all route`, () => {
        expect(to(`${DESTS}routes:\n  - name: all\n    to: [api-hook, ops]\n`, make())).to.deep.equal(['ops']);
      });
      it(`${name}: by a route that names the relay's events`, () => {
        expect(to(`${DESTS}routes:\n  - name: health\n    when: { type: "relay.destination.*" }\n    to: [api-hook, pager]\n    stop: true\n  - name: all\n    to: ops\n`, make())).to.deep.equal(['pager']);
      });
      it(`${name}: by the fallback`, () => {
        expect(to(`${DESTS}routes:\n  - name: recordings\n    when: { type: recording }\n    to: ops\nfallback: api-hook\n`, make())).to.deep.equal([]);
        expect(to(`${DESTS}routes:\n  - name: recordings\n    when: { type: recording }\n    to: ops\nfallback: pager\n`, make())).to.deep.equal(['pager']);
      });
      it(`${name}: even when it is the only destination a route names`, () => {
        expect(to(`${DESTS}routes:\n  - name: hook only\n    to: api-hook\n    stop: true\n`, make())).to.deep.equal([]);
      });
    }
  });
});
