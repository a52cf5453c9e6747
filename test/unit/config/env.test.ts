import { expect } from 'chai';
import { loadSettings } from '../../../src/config/env.js';
import { ConfigInvalidError } from '../../../src/errors.js';

describe('settings from the environment', () => {
  it('has working defaults with nothing set', () => {
    const s = loadSettings({});
    expect(s).to.include({ port: 8080, host: '0.0.0.0', rulesPath: 'config/rules.example.yaml', maxBodyBytes: 256 * 1024, logLevel: 'info', worker: true });
    expect(s.db).to.deep.equal({ engine: 'sqlite', path: 'data/relay.db' });
    expect(s.ingestAuth).to.equal(null);
    expect(s.dedupeWindowMs).to.equal(24 * 3600_000);
    expect(s.watchIntervalMs).to.equal(30_000);
    expect(loadSettings({ RELAY_WATCH_INTERVAL: '5s' }).watchIntervalMs).to.equal(5000);
  });

  it('reads every documented variable', () => {
    const s = loadSettings({
      RELAY_PORT: '9000',
      RELAY_HOST: '127.0.0.1',
      RELAY_RULES: '/etc/relay.yaml',
      RELAY_DB: 'postgres://u@h/db',
      RELAY_INGEST_USER: 'enablex',
      RELAY_INGEST_PASSWORD: 'pw',
      RELAY_ADMIN_TOKEN: 'admin-token-of-24-chars!',
      SLACK_BOT_TOKEN: 'xoxb-1',
      RELAY_SLACK_API_URL: 'http://127.0.0.1:3000/api',
      RELAY_SMTP_URL: 'smtp://u:p@127.0.0.1:2525',
      RELAY_MAIL_FROM: 'relay@example.com',
      RELAY_MAX_BODY: '1mb',
      RELAY_LOG_LEVEL: 'debug',
      RELAY_DEDUPE_WINDOW: '2h',
      RELAY_LOG_FORMAT: 'pretty',
    });
    expect(s).to.include({ port: 9000, host: '127.0.0.1', rulesPath: '/etc/relay.yaml', adminToken: 'admin-token-of-24-chars!', slackToken: 'xoxb-1', maxBodyBytes: 1024 * 1024, logLevel: 'debug', dedupeWindowMs: 7200_000 });
    expect(s.logFormat).to.equal('pretty');
    expect(s.db).to.deep.equal({ engine: 'postgres', url: 'postgres://u@h/db' });
    expect(s.ingestAuth).to.deep.equal({ user: 'enablex', password: 'pw' });
    // The Slack client concatenates paths: the base must end with "/".
    expect(s.slackApiUrl).to.equal('http://127.0.0.1:3000/api/');
  });

  const bad: [Record<string, string>, string][] = [
    [{ RELAY_PORT: 'eighty' }, 'RELAY_PORT'],
    [{ RELAY_PORT: '70000' }, 'RELAY_PORT'],
    [{ RELAY_DB: 'mysql://x' }, 'RELAY_DB'],
    [{ RELAY_DB: 'sqlite:' }, 'RELAY_DB'],
    [{ RELAY_MAX_BODY: 'huge' }, 'RELAY_MAX_BODY'],
    [{ RELAY_LOG_LEVEL: 'loud' }, 'RELAY_LOG_LEVEL'],
    [{ RELAY_INGEST_USER: 'only-user' }, 'RELAY_INGEST_PASSWORD'],
    [{ RELAY_SMTP_URL: 'http://mail' }, 'RELAY_SMTP_URL'],
    [{ RELAY_SLACK_API_URL: 'not a url' }, 'RELAY_SLACK_API_URL'],
    [{ RELAY_WORKER: 'maybe' }, 'RELAY_WORKER'],
    [{ RELAY_LEASE: 'forever' }, 'RELAY_LEASE'],
    [{ RELAY_LEASE: '10ms' }, 'RELAY_LEASE'],
    [{ RELAY_LEASE: '80d' }, 'RELAY_LEASE'],
    [{ RELAY_WATCH_INTERVAL: 'often' }, 'RELAY_WATCH_INTERVAL'],
    [{ RELAY_WATCH_INTERVAL: '10ms' }, 'RELAY_WATCH_INTERVAL'],
    [{ RELAY_WATCH_INTERVAL: '2h' }, 'RELAY_WATCH_INTERVAL'],
    [{ RELAY_HOST: '256.1.1.1' }, 'RELAY_HOST'],
    [{ RELAY_HOST: '10.0.0' }, 'RELAY_HOST'],
    [{ RELAY_HOST: 'my host' }, 'RELAY_HOST'],
    [{ RELAY_HOST: 'http://example.com' }, 'RELAY_HOST'],
    [{ RELAY_LOG_FORMAT: 'xml' }, 'RELAY_LOG_FORMAT'],
    [{ RELAY_ADMIN_TOKEN: 'short-token' }, 'RELAY_ADMIN_TOKEN'],
    [{ RELAY_ADMIN_TOKEN: 'abc' }, 'RELAY_ADMIN_TOKEN'],
    [{ RELAY_ADMIN_TOKEN: 'a token with spaces inside it' }, 'RELAY_ADMIN_TOKEN'],
  ];
  for (const [env, variable] of bad) {
    it(`refuses ${JSON.stringify(env)} naming ${variable}`, () => {
      let err: unknown;
      try {
        loadSettings(env);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ConfigInvalidError);
      expect((err as ConfigInvalidError).variable).to.equal(variable);
      expect((err as Error).message).to.match(new RegExp(`^${variable}: `));
      expect((err as Error).message).to.not.include('\n');
      // A refused secret is still a secret.
      if (env.RELAY_ADMIN_TOKEN) expect((err as Error).message).to.not.include(env.RELAY_ADMIN_TOKEN);
    });
  }

  it('accepts IP addresses and host names for RELAY_HOST', () => {
    for (const host of ['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'relay.internal', 'relay-1.example.com']) expect(loadSettings({ RELAY_HOST: host }).host).to.equal(host);
  });

  it('takes an admin token of 16 characters or more, trimmed; the log format defaults to "by the terminal"', () => {
    expect(loadSettings({ RELAY_ADMIN_TOKEN: ' 0123456789abcdef ' }).adminToken).to.equal('0123456789abcdef');
    expect(loadSettings({}).logFormat).to.equal(null);
  });
});

describe('config/env.example', () => {
  it('lists every setting, and its values load', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../../config/env.example', import.meta.url), 'utf8');
    const env: Record<string, string> = {};
    for (const line of text.split('\n')) {
      const m = /^#?\s*([A-Z_]+)=(.*)$/.exec(line);
      if (m) env[m[1]!] = m[2]!;
    }
    const documented = Object.keys(env);
    const src = readFileSync(new URL('../../../src/config/env.ts', import.meta.url), 'utf8');
    const read = [...new Set([...src.matchAll(/'((?:RELAY|SLACK)_[A-Z_]+)'/g)].map((m) => m[1]!))];
    expect(read.filter((v) => !documented.includes(v)), 'settings missing from env.example').to.deep.equal([]);
    // The uncommented lines are the defaults, and they load as such.
    const active = Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    expect(loadSettings(active)).to.deep.equal(loadSettings({}));
  });
});
