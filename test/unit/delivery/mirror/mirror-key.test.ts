import { expect } from 'chai';
import fc from 'fast-check';
import { resolve, sep } from 'node:path';
import { cleanKey, parseUnitKey, planFiles, unitKey } from '../../../../src/delivery/mirror/mirror-key.js';
import { DEFAULT_KEY } from '../../../../src/delivery/mirror/mirror-options.js';
import { parseTarget, type MirrorTarget } from '../../../../src/delivery/mirror/mirror-target.js';
import { compileTemplate } from '../../../../src/templates/engine.js';
import { fixtureEvent } from '../fixtures/delivery-fixtures.js';

const dir: MirrorTarget = { kind: 'file', dir: '/var/lib/enx/rec', display: 'file:///var/lib/enx/rec' };
const s3: MirrorTarget = { kind: 's3', bucket: 'b', prefix: 'enablex/', display: 's3://b/enablex/' };

describe('mirror keys', () => {
  it('the default layout: <app_id>/<room_id>/<conf_num>/<file name>', () => {
    const event = fixtureEvent('recording');
    const [a] = planFiles(compileTemplate(DEFAULT_KEY), s3, event);
    expect(a!.key).to.equal(`${event.appId}/${event.roomId}/${event.confNum}/rec-1.mkv`);
    expect(a!.location).to.equal(`s3://b/enablex/${a!.key}`);
  });

  it('event values are single segments: they cannot climb out, add folders or hide control characters', () => {
    const event = fixtureEvent('recording', {
      app_id: '../../../etc',
      room_id: '..',
      conf_num: 'a/b\\c\u0000d\n',
      recording: ['https://portal.enablex.io/x/..%2F..%2Fpasswd', 'https://portal.enablex.io/x/.'],
    });
    const plans = planFiles(compileTemplate(DEFAULT_KEY), dir, event);
    expect(plans.map((p) => p.key)).to.deep.equal(['.._.._.._etc/_/a_b_c_d_/.._.._passwd', '.._.._.._etc/_/a_b_c_d_/x']);
    for (const p of plans) expect(p.location!.startsWith(dir.dir + sep)).to.equal(true);
  });

  it('whatever the values, a key stays inside the directory and the bucket prefix (property)', () => {
    const tpl = compileTemplate('{{ app_id }}{{ room_id }}/{{ conf_num }}/../{{ file_name }}');
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (app, room, conf, name) => {
        const event = fixtureEvent('recording', { app_id: app || 'a', room_id: room || 'r', conf_num: conf || 'c', recording: [`https://portal.enablex.io/x/${encodeURIComponent(name || 'f')}`] });
        for (const target of [dir, s3]) {
          const [p] = planFiles(tpl, target, event);
          if (!p!.location) continue;
          const base = target.kind === 'file' ? target.dir + sep : 's3://b/enablex/';
          if (!p!.location.startsWith(base)) return false;
          if (target.kind === 'file' && resolve(p!.location) !== p!.location) return false;
          if (p!.key!.split('/').some((seg) => seg === '' || seg === '.' || seg === '..' || /[\u0000-\u001f]/.test(seg))) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('an empty or oversized key is a problem of that file, not a crash', () => {
    expect(cleanKey(' / / ')).to.deep.equal({ problem: 'the key rendered empty' });
    expect('problem' in cleanKey('x'.repeat(300))).to.equal(true);
    const [p] = planFiles(compileTemplate('{{ nothing }}'), dir, fixtureEvent('recording'));
    expect(p!.problem).to.equal('the key rendered empty');
  });

  it('a unit key names the file and its place, and reads back', () => {
    const [p] = planFiles(compileTemplate(DEFAULT_KEY), s3, fixtureEvent('recording'));
    const key = unitKey('vault', p!);
    expect(parseUnitKey(key)).to.deep.equal({ index: 0, location: p!.location });
    expect(parseUnitKey('slack:x:y')).to.equal(null);
    expect(parseUnitKey(null)).to.equal(null);
  });
});

describe('mirror targets', () => {
  it('reads s3:// and file:// targets', () => {
    expect(parseTarget('s3://enx-recordings/enablex/')).to.deep.equal({ target: { kind: 's3', bucket: 'enx-recordings', prefix: 'enablex/', display: 's3://enx-recordings/enablex/' } });
    expect(parseTarget('s3://enx-recordings')).to.deep.include({ target: { kind: 's3', bucket: 'enx-recordings', prefix: '', display: 's3://enx-recordings/' } });
    expect(parseTarget('s3://b12/a/b')).to.deep.include({ target: { kind: 's3', bucket: 'b12', prefix: 'a/b/', display: 's3://b12/a/b/' } });
    expect(parseTarget('file:///var/lib/enx-relay/recordings/')).to.deep.equal({ target: { kind: 'file', dir: '/var/lib/enx-relay/recordings', display: 'file:///var/lib/enx-relay/recordings' } });
  });

  it('refuses what is not one', () => {
    for (const bad of ['s3://UPPER/x', 's3://a', 's3://b/../x', 'file://relative/dir', 'file:///x?y=1', 'https://bucket.s3.amazonaws.com/', '/var/lib/x', 's3://']) {
      expect(parseTarget(bad), bad).to.have.property('problem');
    }
  });
});
