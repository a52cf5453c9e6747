import { expect } from 'chai';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChildRelay, type ChildRelay } from '../support/child-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually } from '../support/eventually.js';

const rulesWith = (tag: string): string => `version: 1
destinations:
  console:
    log: { template: "${tag} {{ type }} {{ conf_num }}" }
routes:
  - name: all
    to: console
`;

/** Promise 3: bad rules never replace good rules; good ones take effect on save and on SIGHUP. */
describe('rules reload in the running relay', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let relay: ChildRelay;
  let rules: string;
  let n = 0;

  const post = async (): Promise<string> => {
    const conf = `reload-${n++}`;
    const res = await fetch(`${relay.url}/webhooks/enablex`, { method: 'POST', body: JSON.stringify({ type: 'roomdrop', trans_date: 1, app_id: 'a', room_id: 'r', conf_num: conf }) });
    expect(res.status).to.equal(200);
    return conf;
  };
  /** What the `console` destination printed for this conf: its line's message (a pipe gets JSON lines). */
  const printed = (conf: string): string | undefined =>
    relay.output
      .flatMap((l): { destination?: string; msg?: string }[] => {
        try {
          return [JSON.parse(l)];
        } catch {
          return [];
        }
      })
      .find((l) => l.destination === 'console' && l.msg?.endsWith(` ${conf}`))?.msg;
  /** Atomic replace, as editors and config management do it. */
  const save = (text: string): void => {
    writeFileSync(`${rules}.tmp`, text);
    renameSync(`${rules}.tmp`, rules);
  };

  before(async () => {
    tmp = tempDir();
    rules = join(tmp.dir, 'rules.yaml');
    writeFileSync(rules, rulesWith('FIRST'));
    relay = await startChildRelay({ RELAY_DB: `sqlite:${join(tmp.dir, 'relay.db')}`, RELAY_RULES: rules });
  });
  after(async () => {
    await relay.kill('SIGTERM');
    tmp.cleanup();
  });

  it('routes by the rules it started with', async () => {
    const conf = await post();
    await eventually(() => expect(printed(conf)).to.match(/^FIRST roomdrop/));
  });

  it('refuses a broken file with its positions and keeps routing by the good rules', async () => {
    save('version: 1\ndestinations:\n  console:\n    log: {}\nroutes:\n  - name: all\n    to: nowhere\n');
    await eventually(() => expect(relay.output.some((l) => /refused/.test(l) && /rules\.yaml:7:9/.test(l))).to.equal(true));
    const conf = await post();
    await eventually(() => expect(printed(conf)).to.match(/^FIRST roomdrop/));
  });

  it('applies a fixed file on save', async () => {
    save(rulesWith('SECOND'));
    await eventually(async () => {
      const conf = await post();
      await eventually(() => expect(printed(conf)).to.match(/^SECOND roomdrop/), 1000);
    }, 10_000, 200);
  });

  it('reloads on SIGHUP and keeps serving', async () => {
    relay.proc.kill('SIGHUP');
    await eventually(() => expect(relay.output.some((l) => l.includes('SIGHUP: reloading rules'))).to.equal(true));
    const conf = await post();
    await eventually(() => expect(printed(conf)).to.match(/^SECOND roomdrop/));
  });
});
