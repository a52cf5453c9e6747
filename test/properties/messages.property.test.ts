import { expect } from 'chai';
import fc from 'fast-check';
import { loadSettings } from '../../src/config/env.js';
import type { DestinationSpec } from '../../src/config/rules-types.js';
import type { Destination, DestinationDeps } from '../../src/delivery/destination.js';
import { destinationKinds } from '../../src/delivery/kinds.js';
import { eventView } from '../../src/domain/event-view.js';
import type { RelayEvent } from '../../src/domain/event.js';
import { acceptPayload } from '../../src/ingest/accept.js';
import { createLogger } from '../../src/logger.js';
import { offlineStore } from '../../src/store/offline-store.js';
import { slackLimitProblem } from '../support/fake-slack.js';
import { eventBody, RUNS } from './arbitraries.js';

const deps: DestinationDeps = { settings: loadSettings({}), logger: createLogger({ level: 'silent' }), clock: { now: () => new Date('2024-11-27T10:30:00Z') }, store: offlineStore() };
const create = (kind: DestinationSpec['kind'], options: Record<string, unknown>): Destination =>
  destinationKinds.get(kind)!.create({ name: `${kind}-dest`, kind, options, pos: { file: 'rules.yaml', line: 1, column: 1 } }, deps);

/** What event values must never become in a Slack message: a mention, a link, an entity the admin did not write. */
const EVENT_MARKUP = /<!channel|<!here|<@U|<https:\/\/evil\.example|<script/;
const RAW_AMPERSAND = /&(?!amp;|lt;|gt;)/;
/** Controls that have no place in a chat message or a mail body (tab and newline are a text's own). */
const STRAY_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

const SLACK_BLOCKS = '[{"type": "header", "text": {"type": "plain_text", "text": "{{ type }} in {{ room_id }}"}}, {"type": "section", "text": {"type": "mrkdwn", "text": "*Room* {{ room_id }}\\n{{ note }} {% for f in files %}<{{ f }}|file> {% endfor %}"}, "fields": [{"type": "mrkdwn", "text": {{ app_id }}}, {"type": "mrkdwn", "text": "{{ conf_num }}"}]}, {"type": "context", "elements": [{"type": "mrkdwn", "text": {{ note }}}]}]';
const SLACKS = {
  'built-in': {},
  text: { text: 'Room {{ room_id }} ({{ type }}): {{ note }} {{ files | join: ", " }} {% capture c %}{{ app_id }}{% endcapture %}{{ c }} <https://portal.example|portal>' },
  blocks: { blocks: SLACK_BLOCKS },
  'text and blocks': { text: '{{ note }}{{ room_id }}', blocks: SLACK_BLOCKS },
};

const HTTP_BODY = '{"room": "{{ room_id }}", "kind": {{ type }}, "stage": [{{ stage }}], "note": {{ note }}, "msg": "Room {{ room_id }}: {{ note }} at {{ occurred_at | date: "utc" }}", "files": {{ files | json }}, "to": {{ destination | json }}, "size": {{ file_size_bytes }}, "each": [{% for f in files %}"{{ f }}"{% unless forloop.last %},{% endunless %}{% endfor %}]}';

/**
 * Promise 5 by search: random hostile events through every built-in and templated message of
 * every kind. JSON bodies keep the template's structure, Slack stays inside its limits with no
 * mrkdwn from event values, and no raw control character lands where it does not belong.
 */
describe('proof: every message of every kind keeps event values inert (fast-check)', function () {
  this.timeout(60_000);
  const event = eventBody.map((b): RelayEvent => acceptPayload(Buffer.from(JSON.stringify(b)), 'application/json', new Date('2024-11-27T10:30:00Z')));

  for (const [what, options] of Object.entries(SLACKS)) {
    it(`slack (${what}): within Slack's limits, no mention, link or entity from the event, no stray controls`, async () => {
      const dest = create('slack', { channel: '#ops', ...options });
      await fc.assert(
        fc.asyncProperty(event, async (e) => {
          const { payload } = await dest.render(e);
          const msg = payload as { text: string; blocks?: unknown[] };
          expect(slackLimitProblem(msg as unknown as Record<string, unknown>)).to.equal(null);
          for (const s of strings(msg)) {
            expect(s, 'markup from an event').not.to.match(EVENT_MARKUP);
            expect(s, 'a raw &').not.to.match(RAW_AMPERSAND);
            expect(s, 'a control character').not.to.match(STRAY_CONTROLS);
          }
          if ('blocks' in options) expect(msg.blocks, 'the template has three blocks').to.have.length(3);
        }),
        RUNS,
      );
    });
  }

  it('http (template): valid JSON with exactly the template\'s structure, each value where the template put it', async () => {
    const dest = create('http', { url: 'https://archive.example/h', body: HTTP_BODY });
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        const { payload } = await dest.render(e);
        const body = (payload as { body: Record<string, unknown> }).body;
        const view = eventView(e);
        expect(Object.keys(body)).to.deep.equal(['room', 'kind', 'stage', 'note', 'msg', 'files', 'to', 'size', 'each']);
        expect(body.room).to.equal(view.room_id);
        expect(body.kind).to.equal(view.type);
        expect(body.stage).to.have.length(1);
        expect(body.stage).to.deep.equal([view.stage ?? null]);
        expect(body.note).to.equal(view.note ?? null);
        expect(body.files).to.deep.equal(view.files);
        expect(body.each).to.deep.equal(view.files);
        expect(body.to).to.deep.equal(view.destination ?? null);
        expect(body.size).to.equal(view.file_size_bytes);
        expect(body.msg).to.be.a('string').and.match(/^Room /);
        // What goes on the wire: JSON text with no raw control character.
        expect(JSON.stringify(body)).not.to.match(/[\u0000-\u001f]/);
      }),
      RUNS,
    );
  });

  it('http (original): the bytes as received, as application/json', async () => {
    const dest = create('http', { url: 'https://archive.example/h' });
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        const { payload } = await dest.render(e);
        const p = payload as { headers: Record<string, string>; body: unknown };
        expect(p.headers['content-type']).to.equal('application/json');
        expect(p.body).to.deep.equal(e.body);
      }),
      RUNS,
    );
  });

  for (const [what, options] of Object.entries({ 'built-in': {}, templates: { subject: '[{{ type }}] {{ room_id }} {{ note }}', text: 'Room {{ room_id }}\n{{ note }}\n{% for f in files %}{{ f }}\n{% endfor %}', html: '<p>{{ room_id }} {{ note }}</p>' } })) {
    it(`email (${what}): a one-line subject without controls, bodies without stray controls, HTML without markup from the event`, async () => {
      const dest = create('email', { to: 'media@example.com', ...options });
      await fc.assert(
        fc.asyncProperty(event, async (e) => {
          const { payload } = await dest.render(e);
          const mail = payload as { subject: string; text?: string; html?: string };
          expect(mail.subject).not.to.match(ANY_CONTROL);
          expect(mail.subject.length).to.be.within(1, 250);
          if (mail.text !== undefined) expect(mail.text).not.to.match(STRAY_CONTROLS);
          if (mail.html !== undefined) {
            expect(mail.html).not.to.match(STRAY_CONTROLS);
            expect(mail.html).not.to.match(/<script|<!channel|<https/);
          }
        }),
        RUNS,
      );
    });
  }

  it('log (json and template): every event renders; json lines parse back to the event', async () => {
    const json = create('log', { format: 'json' });
    const templated = create('log', { template: '{{ type }} {{ room_id }} {{ note }}' });
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        const line = (await json.render(e)).payload as string;
        // The event's own fields sit under `event`: none of them can replace the line's own keys.
        expect((JSON.parse(line) as { event: Record<string, unknown> }).event).to.include({ id: e.id, room_id: e.roomId });
        expect((await templated.render(e)).payload).to.be.a('string');
      }),
      RUNS,
    );
  });
});
