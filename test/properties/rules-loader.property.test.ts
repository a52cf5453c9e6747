import { expect } from 'chai';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseRules } from '../../src/config/rules.js';
import { destinationKinds } from '../../src/delivery/kinds.js';
import type { ErrorDetail } from '../../src/errors.js';
import { exampleEvents } from '../../src/ingest/examples.js';
import { hostile, RUNS } from './arbitraries.js';

const examples = exampleEvents();
// The credentials Slack and email destinations need (a rule that lacks them is refused).
const ENV = { SLACK_TOKEN: 'xoxb-from-env', SLACK_BOT_TOKEN: 'xoxb-default-token', RELAY_SMTP_URL: 'smtp://127.0.0.1:2525', ARCHIVE_SECRET: 'whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u', EMPTY: '' };

/** Either rules, or at least one error, each at `file:line:column` with a message: never a throw. */
function load(text: string): void {
  let result;
  try {
    result = parseRules(text, 'rules.yaml', { env: ENV, kinds: destinationKinds, examples });
  } catch (err) {
    expect.fail(`the loader threw ${(err as Error).stack}\n--- for ---\n${text}`);
  }
  if (result.ok) {
    expect(result.rules.destinations).to.be.instanceOf(Map);
    for (const w of result.warnings) expectPositioned(w);
    return;
  }
  expect(result.errors, text).to.have.length.greaterThan(0);
  for (const e of result.errors) expectPositioned(e);
}

function expectPositioned(e: ErrorDetail): void {
  expect(e.path, JSON.stringify(e)).to.match(/^rules\.yaml:\d+:\d+$/);
  expect(e.message, JSON.stringify(e)).to.be.a('string').and.not.equal('');
}

const YAML_BITS = ['version: 1\n', 'destinations:\n', '  a:\n', '    log: {}\n', '    slack: { channel: "#c" }\n', 'routes:\n', '  - name: r\n', '    to: a\n', '    when: { type: ', '{ regex: "', '"(" }', '}\n', '[', ']', '{', '}', ':', '- ', '&x ', '*x', '!!js/function ', '!!binary ', '"', "'", '#', '\t', '  ', '\n', '${', '${SLACK_TOKEN}', '${NOPE}', '|\n', '>-\n', '---\n', '...\n', '? ', '%YAML 1.2\n', '<<: *x\n', '{{ room_id }}', '{% if %}', '\u0000', '\ufeff'];

const yamlText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.oneof(fc.constantFrom(...YAML_BITS), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((a) => a.join('')),
);

const template = fc.oneof(
  fc.constantFrom('{{ room_id }}', '{"room": "{{ room_id }}", "n": {{ files | size }}}', '[{"type": "divider"}]', '{{ x | raw }}', '{% for f in files %}{{ f }}{% endfor %}', '{{ cdr.duration_s }}', '{{ romo_id }}', '{% capture c %}{{ type }}{% endcapture %}{{ c }}', '{{ trans_date | date: "utc" }} {{ v | expires }}', '{{ a | json }}', '{% include "x" %}', '{{'),
  hostile(4),
);
const condition: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('*', '64f0*', 'rec-?.mkv', 'abc\\', '\\*'), fc.integer(), fc.boolean()),
    fc.record({ regex: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('^([0-9a-f]+)*$', '(?=x)', '(a)\\1', '[z-a]', '^6750', '(')), flags: fc.constantFrom(undefined, 'i', 'ms', 'u', 'g', 'x') }, { requiredKeys: ['regex'] }),
    fc.record({ not: tie('cond') }),
    fc.array(tie('cond'), { maxLength: 3 }),
    fc.constant(null),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
  ),
})).cond;

const destination = fc.oneof(
  fc.record({ log: fc.oneof(fc.constant(null), fc.record({ format: fc.constantFrom('text', 'json', 'xml'), template }, { requiredKeys: [] })) }),
  fc.record({ slack: fc.record({ channel: fc.constantFrom('#ops', '', 'C0123'), token: fc.constantFrom('${SLACK_TOKEN}', '${NOPE}', 'xoxb-literal'), thread: fc.constantFrom('session', 'none', 'sideways'), text: template, blocks: template }, { requiredKeys: ['channel'] }) }),
  fc.record({ email: fc.record({ to: fc.oneof(fc.constantFrom('a@example.com', 'not an address', ''), fc.array(fc.constantFrom('a@example.com', 'b@c'), { maxLength: 2 })), subject: template, text: template, html: template }, { requiredKeys: [] }) }),
  fc.record({
    http: fc.record(
      { url: fc.constantFrom('https://x.example/h', 'ftp://x', 'not a url', 'https://u:p@x.example/'), method: fc.constantFrom('POST', 'GET', 'put'), headers: fc.dictionary(fc.constantFrom('X-A', 'bad name', 'Webhook-Id', 'Authorization'), fc.constantFrom('v', 'a\r\nb', '${NOPE}')), timeout: fc.constantFrom('10s', '5m', 'soon', 250, -1), signing_secret: fc.constantFrom('${ARCHIVE_SECRET}', 'short'), body: fc.oneof(fc.constant('original'), template) },
      { requiredKeys: ['url'] },
    ),
  }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

const rulesObject = fc.record(
  {
    version: fc.constantFrom(1, 2, '1'),
    destinations: fc.dictionary(fc.oneof(fc.constantFrom('ops', 'archive', 'console'), fc.string({ maxLength: 8 })), destination, { maxKeys: 4 }),
    routes: fc.array(
      fc.record({ name: fc.oneof(fc.constantFrom('r', 'all'), fc.string({ maxLength: 6 })), when: fc.dictionary(fc.constantFrom('type', 'app_id', 'room_id', 'destination.name', 'files', 'bad key!'), condition, { maxKeys: 3 }), to: fc.oneof(fc.constantFrom('ops', 'archive', 'console', 'nowhere'), fc.array(fc.constantFrom('ops', 'console', 'nowhere'), { maxLength: 3 })), stop: fc.oneof(fc.boolean(), fc.constant('yes')) }, { requiredKeys: ['name'] }),
      { maxLength: 4 },
    ),
    fallback: fc.constantFrom('console', 'nowhere', ''),
    retry: fc.record({ schedule: fc.array(fc.constantFrom('5s', '1h', '0ms', 'soon', 3), { maxLength: 4 }) }),
  },
  { requiredKeys: [] },
);

/** Plain text: no `${` (variable syntax) and no lone trailing backslash (an unfinished glob escape). */
const plain = (maxLength: number, minLength = 0): fc.Arbitrary<string> => fc.string({ minLength, maxLength }).filter((s) => !s.includes('${') && !/(^|[^\\])(\\\\)*\\$/.test(s));
const goodCondition: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(plain(8), fc.constantFrom('*', '64f0*', 'rec-?.mkv'), fc.integer(), fc.boolean()),
    fc.record({ regex: fc.constantFrom('^([0-9a-f]+)*$', '^6750', 'mkv$', '(?i)debug', '[[:alpha:]]+', '\\d{2,}'), flags: fc.constantFrom(undefined, 'i', 'ms', 'u') }, { requiredKeys: ['regex'] }),
    fc.record({ not: tie('cond') }),
    fc.array(tie('cond'), { minLength: 1, maxLength: 3 }),
  ),
})).cond;
const goodTemplate = fc.constantFrom('{{ room_id }} {{ files | size }}', 'Room {{ room_id | upcase }} {{ cdr.duration_s }}', '{% for f in files %}{{ f }} {% endfor %}{{ occurred_at | date: "utc" }}');
const goodDestination = fc.oneof(
  fc.record({ log: fc.oneof(fc.constant(null), fc.record({ format: fc.constantFrom('text', 'json'), template: goodTemplate }, { requiredKeys: [] })) }),
  fc.record({ slack: fc.record({ channel: fc.constant('#ops'), text: goodTemplate, blocks: fc.constant('[{"type": "section", "text": {"type": "mrkdwn", "text": "{{ room_id }}"}}]') }, { requiredKeys: ['channel'] }) }),
  fc.record({ email: fc.record({ to: fc.constant('media@example.com'), subject: goodTemplate, html: goodTemplate }, { requiredKeys: ['to'] }) }),
  fc.record({ http: fc.record({ url: fc.constant('https://x.example/h'), signing_secret: fc.constant('${ARCHIVE_SECRET}'), body: fc.constantFrom('original', '{"room": "{{ room_id }}", "n": {{ files | size }}, "files": {{ files | json }}, "d": {{ cdr.duration_s }}}') }, { requiredKeys: ['url'] }) }),
);
const goodRules = fc
  .uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/), { minLength: 1, maxLength: 4 })
  .chain((names) =>
    fc.record({
      version: fc.constant(1),
      destinations: fc.tuple(...names.map(() => goodDestination)).map((ds) => Object.fromEntries(names.map((n, i) => [n, ds[i]]))),
      routes: fc.uniqueArray(
        fc.record({ name: plain(8, 1), when: fc.dictionary(fc.constantFrom('type', 'app_id', 'room_id', 'destination.name', 'files'), goodCondition, { maxKeys: 3 }), to: fc.subarray(names, { minLength: 1 }) }),
        { selector: (r) => r.name, maxLength: 4 },
      ),
      fallback: fc.constantFrom(...names),
    }),
  );

/** Promise 3's ground: whatever the file holds, the loader answers rules or positioned errors. */
describe('proof: the rules loader never crashes (fast-check)', function () {
  this.timeout(60_000);

  it('random YAML text: rules or positioned errors', () => {
    fc.assert(fc.property(yamlText, (text) => load(text)), RUNS);
  });

  it('random rules-shaped objects (every kind, every condition form, bad values among good): rules or positioned errors', () => {
    fc.assert(fc.property(rulesObject, (data) => load(stringify(data))), RUNS);
  });

  it('random rules built only of valid parts load, with every regex on RE2', () => {
    fc.assert(
      fc.property(goodRules, (data) => {
        const text = stringify(data);
        const result = parseRules(text, 'rules.yaml', { env: ENV, kinds: destinationKinds, examples });
        expect(result.ok, `${text}\n${JSON.stringify(result.ok ? [] : result.errors)}`).to.equal(true);
      }),
      RUNS,
    );
  });
});
