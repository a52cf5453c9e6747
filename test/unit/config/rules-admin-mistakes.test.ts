import { expect } from 'chai';
import { parseRules, type RulesOptions } from '../../../src/config/rules.js';
import { destinationKinds } from '../../../src/delivery/kinds.js';
import type { ErrorDetail } from '../../../src/errors.js';
import { exampleEvents } from '../../../src/ingest/examples.js';

// The mistakes admins actually make, each said where it is and with what to do about it.
const opts = (env: Record<string, string> = {}): RulesOptions => ({ env, kinds: destinationKinds, examples: exampleEvents() });

function result(yaml: string, env: Record<string, string> = {}) {
  return parseRules(yaml, 'r.yaml', opts(env));
}

function errors(yaml: string, env: Record<string, string> = {}): string[] {
  const r = result(yaml, env);
  expect(r.ok, 'must fail').to.equal(false);
  return r.ok ? [] : r.errors.map((e: ErrorDetail) => `${e.path} ${e.message}`);
}

function warnings(yaml: string, env: Record<string, string> = {}): string[] {
  const r = result(yaml, env);
  if (!r.ok) expect.fail(JSON.stringify(r.errors));
  return r.ok ? r.warnings.map((w) => `${w.path} ${w.message}`) : [];
}

const CONSOLE = 'version: 1\ndestinations:\n  console:\n    log: {}\nroutes:\n';

describe('config/rules: the mistakes admins make', () => {
  describe('when: fields and types', () => {
    it('a misspelt field is an error at its key, with "did you mean", for top-level and dotted paths', () => {
      expect(errors(`${CONSOLE}  - { name: a, when: { tpye: roomdrop }, to: console }\n  - { name: b, when: { destination.nmae: awss3 }, to: console }\n`)).to.deep.equal([
        'r.yaml:6:24 when: no event has a field "tpye" (did you mean "type"?), so the route would never match',
        'r.yaml:7:24 when: no event has a field "destination.nmae" (did you mean "destination.name"?), so the route would never match',
      ]);
    });

    it('a field no schema knows and nothing resembles lists the fields', () => {
      const [e] = errors(`${CONSOLE}  - { name: a, when: { colour: red }, to: console }\n`);
      expect(e).to.match(/^r\.yaml:6:24 when: no event has a field "colour" \(fields: type, app_id, room_id, .*destination\.name\)/);
    });

    it('accepts every documented, derived, nested and indexed field', () => {
      const fields = ['type', 'app_id', 'room_id', 'conf_num', 'trans_date', 'recording', 'stage', 'file_size', 'destination.name', 'destination.host', 'destination.account', 'files', 'files.0', 'id', 'received_at', 'occurred_at', 'file_size_bytes', 'expires_at'];
      const yaml = `${CONSOLE}${fields.map((f, i) => `  - { name: r${i}, when: { ${f}: "x*" }, to: console }`).join('\n')}\n`;
      expect(warnings(yaml)).to.deep.equal([]);
    });

    it('an unknown type is a warning naming the known ones (and a near miss), never an error', () => {
      const w = warnings(`${CONSOLE}  - { name: a, when: { type: roomdorp }, to: console }\n  - { name: b, when: { type: [recording, room-locked] }, to: console }\n  - { name: c, when: { type: { not: [roomdrop, transcoded] } }, to: console }\n  - { name: d, when: { type: "rec*" }, to: console }\n`);
      expect(w).to.deep.equal([
        'r.yaml:6:30 type "roomdorp" is not one EnableX documents (roomdrop, recording, transcoded, file-transfer) (did you mean "roomdrop"?): the route matches only events of that exact type',
        'r.yaml:7:30 type "room-locked" is not one EnableX documents (roomdrop, recording, transcoded, file-transfer): the route matches only events of that exact type',
      ]);
    });

    it('a route for a new type may read fields no schema knows; a near-miss type does not excuse a field typo', () => {
      expect(warnings(`${CONSOLE}  - { name: a, when: { type: participant-joined, user_id: u1 }, to: console }\n`)).to.have.length(1);
      expect(errors(`${CONSOLE}  - { name: a, when: { type: roomdorp, romo_id: x }, to: console }\n`)).to.deep.equal([
        'r.yaml:6:40 when: no event has a field "romo_id" (did you mean "room_id"?), so the route would never match',
      ]);
    });
  });

  describe('to', () => {
    it('a route without `to` is an error at the route; `to: []` drops on purpose', () => {
      expect(errors(`${CONSOLE}  - name: swallow\n    when: { type: roomdrop }\n`)).to.deep.equal([
        'r.yaml:6:5 route "swallow" has no "to": name the destination(s) that get what it matches (to drop such events on purpose, write to: [] and stop: true)',
      ]);
      expect(warnings(`${CONSOLE}  - { name: drop tests, when: { room_id: "test-*" }, to: [], stop: true }\n  - { name: all, to: console }\n`)).to.deep.equal([]);
    });
  });

  describe('messages that say what to do', () => {
    it('`channel: #video-ops`: the # started a comment; quote it (once, whatever check tripped)', () => {
      expect(errors('version: 1\ndestinations:\n  ops:\n    slack:\n      channel: #video-ops\nroutes:\n  - { name: a, to: ops }\n', { SLACK_BOT_TOKEN: 'xoxb-1-2' })).to.deep.equal([
        'r.yaml:5:16 channel is empty: "#" starts a YAML comment, so "#video-ops" is not its value. Quote it: channel: "#video-ops"',
      ]);
    });

    it('a `#` inside a flow mapping names the { it left open', () => {
      expect(errors('version: 1\ndestinations:\n  ops:\n    slack: { channel: #video-ops }\nroutes:\n  - { name: a, to: ops }\n')).to.deep.equal([
        'r.yaml:5:1 Flow map in block collection must be sufficiently indented and end with a } (the "{" on line 4 is not closed: a "#" after a space starts a YAML comment that hides the rest of that line; quote a value that starts with #)',
      ]);
    });

    it('`type: *` and `type: *foo` are YAML aliases: quote them', () => {
      expect(errors(`${CONSOLE}  - { name: a, when: { type: * }, to: console }\n`)).to.deep.equal(['r.yaml:6:30 "*" starts a YAML alias here, not a value: quote it (type: "*")']);
      expect(errors(`${CONSOLE}  - name: a\n    when:\n      type: *rec\n    to: console\n`)).to.deep.equal([
        'r.yaml:8:13 "*rec" is read as a YAML alias and no anchor &rec is defined: quote it if it is a value ("*rec")',
      ]);
      expect(errors(`${CONSOLE}  - { name: a, when: { room_id: @x }, to: console }\n`)).to.deep.equal(['r.yaml:6:33 Plain value cannot start with reserved character @: quote the value (room_id: "@x")']);
    });

    it('a URL without a scheme is quoted, with what to write', () => {
      expect(errors('version: 1\ndestinations:\n  hook:\n    http: { url: 127.0.0.1:9101/hook }\nfallback: hook\n')).to.deep.equal([
        'r.yaml:4:18 "127.0.0.1:9101/hook" has no scheme: write "http://127.0.0.1:9101/hook" (or https://)',
      ]);
    });

    it('one syntax mistake is one error, not the echoes the parser reports after it', () => {
      expect(errors(`${CONSOLE}  - { name: a, when: { type: [a, b }, to: console }\n`)).to.have.length(1);
      expect(errors('version: 1\n- a\nb: 1\n')).to.have.length(1);
    });
  });

  describe('credentials a destination needs (issue 8, item 9)', () => {
    const slack = 'version: 1\ndestinations:\n  ops:\n    slack: { channel: "#ops" }\nfallback: ops\n';
    const email = 'version: 1\ndestinations:\n  team:\n    email: { to: a@example.com }\nfallback: team\n';

    it('a Slack destination without a token and without SLACK_BOT_TOKEN is an error at the destination', () => {
      expect(errors(slack)).to.deep.equal(['r.yaml:3:3 slack: no token: set SLACK_BOT_TOKEN for the relay, or give this destination token: ${YOUR_VAR}']);
      expect(errors(slack, { SLACK_BOT_TOKEN: '  ' })).to.have.length(1);
      expect(warnings(slack, { SLACK_BOT_TOKEN: 'xoxb-1-2' })).to.deep.equal([]);
      expect(warnings('version: 1\ndestinations:\n  ops:\n    slack: { channel: "#ops", token: "${OPS}" }\nfallback: ops\n', { OPS: 'xoxb-own' })).to.deep.equal([]);
    });

    it('an email destination without RELAY_SMTP_URL is an error at the destination', () => {
      expect(errors(email)).to.deep.equal(['r.yaml:3:3 email: RELAY_SMTP_URL is not set: the relay has no SMTP server to send through (e.g. RELAY_SMTP_URL=smtp://user:pass@host:587)']);
      expect(warnings(email, { RELAY_SMTP_URL: 'smtp://127.0.0.1:2525' })).to.deep.equal([]);
    });

    it('the example rules need neither', async () => {
      const { loadRules } = await import('../../../src/config/rules.js');
      const r = await loadRules('config/rules.example.yaml', opts());
      expect(r.ok, JSON.stringify(r.ok ? [] : r.errors)).to.equal(true);
    });
  });

  describe('masking keeps messages whole (issue 12, item 7)', () => {
    it('a secret "secret" masks the value, never "signing_secret" or other words that contain it', () => {
      const e = errors('version: 1\ndestinations:\n  hook:\n    http: { url: "https://x.example.com/${P}", signing_secret: "${S}" }\nfallback: hook\n', { S: 'secret', P: 'secret' });
      expect(e).to.have.length(1);
      expect(e[0]).to.match(/^r\.yaml:4:\d+ hook: signing_secret must be "whsec_" followed by base64/);
    });

    it('a substituted value that lands in a message is masked there', () => {
      const [e] = errors('version: 1\ndestinations:\n  hook:\n    http: { url: "${U}" }\nfallback: hook\n', { U: 'hooks.internal.example:9/p' });
      expect(e).to.equal('r.yaml:4:18 "[redacted]" has no scheme: write "http://[redacted]" (or https://)');
    });
  });
});
