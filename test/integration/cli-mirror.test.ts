import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { S3Sink } from '../support/s3-sink.js';
import { tempDir } from '../support/temp-dir.js';

/** The built CLI with a mirror destination: `check` (and `--probe`), `route`. */
describe('enx-relay CLI with a mirror', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let sink: S3Sink;

  before(async () => {
    sink = await S3Sink.start();
  });
  after(async () => {
    await sink.close();
  });
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  function rules(mirror: string): string {
    const file = join(tmp.dir, 'rules.yaml');
    writeFileSync(file, `version: 1\ndestinations:\n  vault:\n    mirror:\n${mirror.replace(/^/gm, '      ')}\nroutes:\n  - name: keep every recording\n    when: { type: [recording, transcoded] }\n    to: vault\n`);
    return file;
  }

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({ RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, ENX_REC_PASSWORD: 'rec-pass', ...extra });

  it('check: summarizes the target; a bad one is an error at its line', async () => {
    const ok = await runCli(['check', rules(`to: file://${tmp.dir}/copies\nsource_auth: { username: rec, password: "\${ENX_REC_PASSWORD}" }`)], env());
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(new RegExp(`^  vault\\s+mirror to file://${tmp.dir}/copies$`, 'm'));
    const bad = await runCli(['check', rules('to: s3://Not_A_Bucket/\nsource_auth: { username: rec, password: x }')], env({ AWS_REGION: 'eu-west-1' }));
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include(`${tmp.dir}/rules.yaml:5:11: vault: "Not_A_Bucket" is not a valid bucket name`);
    const unset = await runCli(['check', rules('to: s3://enx-recordings/\nsource_auth: { username: rec, password: "${NOT_SET}" }')], env({ AWS_REGION: 'eu-west-1' }));
    expect(unset.stderr).to.include('environment variable NOT_SET is not set');
  });

  it('check --probe: writes a test object with the relay\'s credentials, and says so', async () => {
    const file = rules(`to: s3://${sink.bucket}/enablex/\nsource_auth: { username: rec, password: "\${ENX_REC_PASSWORD}" }\nforce_path_style: true`);
    const ok = await runCli(['check', file, '--probe'], env(sink.env()));
    expect(ok.code, ok.stderr + ok.stdout).to.equal(0);
    expect(ok.stdout).to.match(/^probe vault: OK$/m);
    expect(sink.requests.some((r) => r.method === 'PUT' && r.path.endsWith('/enablex/.enx-relay-check') && r.checksumOk === true)).to.equal(true);
    sink.refuse(403);
    const refused = await runCli(['check', file, '--probe'], env(sink.env()));
    expect(refused.code).to.equal(1);
    expect(refused.stdout).to.match(/^probe vault: FAILED: cannot write to s3:\/\/enx-recordings\/enablex\/: S3 AccessDenied \(HTTP 403\)/m);
    const dir = await runCli(['check', rules(`to: file://${tmp.dir}/copies\nsource_auth: { username: rec, password: x }`), '--probe'], env());
    expect(dir.stdout).to.match(/^probe vault: OK$/m);
  });

  it('route: shows the key each file would get, and no password', async () => {
    const file = rules(`to: s3://enx-recordings/enablex/\nsource_auth: { username: rec, password: "\${ENX_REC_PASSWORD}" }`);
    const r = await runCli(['route', 'test/fixtures/enablex/recording.json', '--rules', file], env({ AWS_REGION: 'eu-west-1' }));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('== vault via keep every recording: mirror to s3://enx-recordings/enablex/');
    expect(r.stdout).to.include('2 files to s3://enx-recordings/enablex/');
    expect(r.stdout).to.include('"location": "s3://enx-recordings/enablex/64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-1.mkv"');
    expect(r.stdout).to.include('"key": "64f0c1a2e7b9d81f2c3a4b5c/6750a8f1c2d3e4f5a6b7c8d9/917345201/rec-2.mkv"');
    expect(r.stdout).to.not.include('rec-pass');
  });
});
