import { expect } from 'chai';
import { parseRules } from '../../../src/config/rules.js';
import type { Rules } from '../../../src/config/rules-types.js';
import { rulesSecrets } from '../../../src/config/rules-secrets.js';

function secretsOf(yaml: string, env: Record<string, string> = {}): string[] {
  const r = parseRules(yaml, 'r.yaml', { env });
  if (!r.ok) expect.fail(JSON.stringify(r.errors));
  return (r.rules as Rules).secrets;
}

describe('config/rules-secrets: credentials written in the rules file are secrets too (promise 4)', () => {
  it('collects a literal Slack token, signing secret, credential headers and URL passwords', () => {
    const secrets = secretsOf(`version: 1
destinations:
  ops:
    slack: { channel: "#ops", token: xoxb-literal-1111 }
  hook:
    http:
      url: https://relay:p%40ss-w0rd@hooks.example.com/in?api_key=qk-2222&room=1
      signing_secret: whsec_bGl0ZXJhbA
      headers:
        Authorization: Bearer lit-bearer-3333
        x-api-key: ak-4444
        Cookie: "sid=ck-5555; theme=dark-mode"
        X-Auth-Token: at-6666
        X-Request-Source: enx-relay
        Idempotency-Key: fixed-id-9
fallback: hook
`);
    expect(secrets).to.include.members([
      'xoxb-literal-1111',
      'whsec_bGl0ZXJhbA',
      'lit-bearer-3333',
      'ak-4444',
      'ck-5555',
      'at-6666',
      'p%40ss-w0rd',
      'p@ss-w0rd',
      'qk-2222',
    ]);
    // The scheme is no secret (so "Bearer" stays readable), nor are ordinary headers and channels.
    expect(secrets).to.not.include.members(['Bearer lit-bearer-3333']);
    for (const plain of ['enx-relay', 'fixed-id-9', '#ops', 'relay', '1']) expect(secrets).to.not.include(plain);
  });

  it('decodes Basic credentials so the password alone is masked too', () => {
    const basic = Buffer.from('archiver:basic-pw-7777').toString('base64');
    const secrets = secretsOf(`version: 1
destinations:
  hook:
    http: { url: "https://x.example.com", headers: { Authorization: "Basic ${basic}" } }
fallback: hook
`);
    expect(secrets).to.include.members([basic, 'basic-pw-7777']);
    expect(secrets).to.not.include('archiver');
  });

  it('keeps ${VAR} values first and lists each value once', () => {
    const secrets = secretsOf(
      `version: 1
destinations:
  hook:
    http: { url: "https://x.example.com", signing_secret: "\${SECRET}", headers: { Authorization: "Bearer \${TOKEN}", X-Key: literal-key-8888 } }
fallback: hook
`,
      { SECRET: 'whsec_from_env', TOKEN: 'env-token-1' },
    );
    expect(secrets).to.deep.equal(['whsec_from_env', 'env-token-1', 'literal-key-8888']);
  });

  it('masks literal credentials in the messages of a refused file', () => {
    const r = parseRules('version: 1\ndestinations:\n  hook:\n    http: { url: "https://x.example.com", headers: { Authorization: "Bearer tok-refused-1" } }\nroutes:\n  - name: r\n    to: tok-refused-1\n', 'r.yaml', { env: {} });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(JSON.stringify(r.errors)).to.not.include('tok-refused-1');
    expect(JSON.stringify(r.errors)).to.include('[redacted]');
  });

  it('takes the credential in the path of webhook URLs (Slack incoming webhooks, Discord, Teams)', () => {
    const secrets = secretsOf(`version: 1
destinations:
  slack-hook:
    http: { url: "https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX" }
  discord:
    http: { url: "https://discord.com/api/webhooks/123456/tok-discord-abc" }
  teams:
    http: { url: "https://acme.webhook.office.com/webhookb2/aaa@bbb/IncomingWebhook/ccc/ddd" }
  plain:
    http: { url: "https://archive.example.com/hooks/enablex" }
fallback: plain
`);
    expect(secrets).to.include('XXXXXXXXXXXXXXXXXXXXXXXX');
    expect(secrets).to.include('tok-discord-abc');
    expect(secrets).to.include('aaa@bbb/IncomingWebhook/ccc/ddd');
    expect(secrets.some((s) => s.includes('enablex'))).to.equal(false, 'an ordinary path is no secret');
  });

  it('reads any data without throwing: only what has the expected shape counts', () => {
    expect(rulesSecrets(null)).to.deep.equal([]);
    expect(rulesSecrets({ destinations: [] })).to.deep.equal([]);
    expect(rulesSecrets({ destinations: { a: null, b: { http: 'x' }, c: { http: { url: 'not a url', headers: ['Authorization'] } } } })).to.deep.equal([]);
    expect(rulesSecrets({ destinations: { a: { http: { url: 'https://u:%E0%A4%A@h.example.com', token: '  ' } } } })).to.deep.equal(['%E0%A4%A']);
  });
});
