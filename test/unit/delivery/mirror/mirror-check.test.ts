import { expect } from 'chai';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRules } from '../../../../src/config/rules.js';
import { parseDuration } from '../../../../src/config/rules-duration.js';
import { destinationKinds } from '../../../../src/delivery/kinds.js';
import { DEFAULT_MIRROR_SCHEDULE } from '../../../../src/delivery/mirror/mirror-options.js';
import { JITTER } from '../../../../src/delivery/schedule.js';
import { PORTAL_LINK_LIFETIME_MS } from '../../../../src/domain/event.js';
import { exampleEvents } from '../../../../src/ingest/examples.js';
import { tempDir } from '../../../support/temp-dir.js';

function load(mirror: string, env: Record<string, string> = { AWS_REGION: 'eu-west-1' }) {
  const text = `version: 1\ndestinations:\n  vault:\n    mirror:\n${mirror.replace(/^/gm, '      ')}\nroutes:\n  - name: keep\n    when: { type: [recording, transcoded] }\n    to: vault\n`;
  return parseRules(text, 'rules.yaml', { env, kinds: destinationKinds, examples: exampleEvents() });
}

function errors(mirror: string, env?: Record<string, string>): string[] {
  const r = load(mirror, env);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
}

const AUTH = 'source_auth: { username: rec, password: "${PW}" }';

describe('checking a mirror destination', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('takes the issue\'s example, and keeps the recording-access password secret', () => {
    const r = load(`to: s3://enx-recordings/enablex/\n${AUTH}`, { AWS_REGION: 'eu-west-1', PW: 'rec-pass-123' });
    expect(r.ok).to.equal(true);
    if (r.ok) expect(r.rules.secrets).to.include('rec-pass-123');
    const literal = load(`to: s3://enx-recordings/enablex/\nsource_auth: { username: rec, password: literal-pass-456 }`);
    expect(literal.ok && literal.rules.secrets).to.include('literal-pass-456');
  });

  it('says what is wrong with `to`, at its line and column', () => {
    expect(errors(`to: https://bucket.example/\n${AUTH}`, { PW: 'x' })).to.deep.equal(['rules.yaml:5:11: "https://bucket.example/": s3://bucket/prefix/ or file:///absolute/directory']);
    expect(errors(`to: s3://Bad_Bucket/x\n${AUTH}`, { PW: 'x', AWS_REGION: 'x' })).to.deep.equal([
      'rules.yaml:5:11: vault: "Bad_Bucket" is not a valid bucket name (3 to 63 lower case letters, digits, dots and hyphens)',
    ]);
  });

  it('needs source_auth with both parts', () => {
    expect(errors('to: s3://enx-recordings/')).to.deep.equal(['rules.yaml:5:7: missing required key "source_auth"']);
    expect(errors('to: s3://enx-recordings/\nsource_auth: { username: rec, password: "${PW}" }', { AWS_REGION: 'x' })).to.deep.equal([
      'rules.yaml:6:48: environment variable PW is not set',
    ]);
  });

  it('an S3 target needs a region from somewhere; credentials come in pairs', () => {
    expect(errors(`to: s3://enx-recordings/\n${AUTH}`, { PW: 'x' })).to.deep.equal(['rules.yaml:5:11: vault: no region: set AWS_REGION (or region: in the rules)']);
    expect(errors(`to: s3://enx-recordings/\nregion: eu-west-1\n${AUTH}`, { PW: 'x' })).to.deep.equal([]);
    expect(errors(`to: s3://enx-recordings/\n${AUTH}`, { PW: 'x', AWS_REGION: 'x', AWS_ACCESS_KEY_ID: 'AKIA' })).to.deep.equal([
      'rules.yaml:5:11: vault: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together',
    ]);
  });

  it('the key template compiles, reads known fields, and gives each file its own place', () => {
    expect(errors(`to: s3://enx-recordings/\n${AUTH}\nkey: "{{ room_id }}/{{ fil_name }}"`, { PW: 'x', AWS_REGION: 'x' })[0]).to.equal('rules.yaml:7:12: vault: key uses unknown field fil_name');
    expect(errors(`to: s3://enx-recordings/\n${AUTH}\nkey: "{{ room_id }"`, { PW: 'x', AWS_REGION: 'x' })[0]).to.match(/^rules\.yaml:7:12: vault: template does not compile/);
    expect(errors(`to: s3://enx-recordings/\n${AUTH}\nkey: "{{ room_id }}/{{ conf_num }}.mkv"`, { PW: 'x', AWS_REGION: 'x' })).to.deep.equal([
      'rules.yaml:7:12: vault: key gives two files of one "recording" event the same place: include {{ file_name }} or {{ file_index }}',
    ]);
    expect(errors(`to: s3://enx-recordings/\n${AUTH}\nkey: "{{ stage }}/{{ file_index }}-{{ file_name }}"`, { PW: 'x', AWS_REGION: 'x' })).to.deep.equal([]);
  });

  it('a directory must be there, or creatable, and writable', () => {
    const ok = join(tmp.dir, 'recordings', 'not-yet');
    expect(errors(`to: file://${ok}\n${AUTH}`, { PW: 'x' })).to.deep.equal([]);
    writeFileSync(join(tmp.dir, 'a-file'), '');
    expect(errors(`to: file://${join(tmp.dir, 'a-file', 'sub')}\n${AUTH}`, { PW: 'x' })[0]).to.match(/is not a directory$/);
    if (process.getuid?.() !== 0) {
      const ro = join(tmp.dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      expect(errors(`to: file://${ro}\n${AUTH}`, { PW: 'x' })[0]).to.match(/cannot be written by this process$/);
    }
  });

  it('S3 options on a directory, and a presign beyond SigV4\'s 7 days, are refused', () => {
    expect(errors(`to: file://${tmp.dir}\n${AUTH}\npresign: 1d`, { PW: 'x' })).to.deep.equal(['rules.yaml:7:16: vault: presign applies to s3:// targets only']);
    expect(errors(`to: s3://enx-recordings/\n${AUTH}\npresign: 8d`, { PW: 'x', AWS_REGION: 'x' })).to.deep.equal(['rules.yaml:7:16: vault: presign must be a duration from 1s to 7d']);
  });

  it('the default retry schedule ends inside the 72 h, even with the +20% jitter', () => {
    const total = DEFAULT_MIRROR_SCHEDULE.map((s) => parseDuration(s)).reduce((a, b) => a + b, 0);
    expect(total * (1 + JITTER)).to.be.lessThan(PORTAL_LINK_LIFETIME_MS - 12 * 3600_000, 'with half a day to spare for late events');
  });
});
