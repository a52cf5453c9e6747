import { expect } from 'chai';
import { logKind } from '../../../../src/delivery/log/index.js';
import type { Store } from '../../../../src/store/store.js';
import { LineCapture } from '../../../support/line-capture.js';
import { claimed, deps, fixtureEvent, spec } from '../fixtures/delivery-fixtures.js';

const HOSTILE_ROOM = 'r1\n{"level":50,"time":1,"msg":"forged"}\r\u001b[2J\u009b';
const noStore = {} as Store;

/** A log destination writing into `out`, with the relay's log format set as RELAY_LOG_FORMAT would. */
function logDestination(options: Record<string, unknown>, logFormat: 'json' | 'pretty' | null, out = new LineCapture()) {
  return { out, d: logKind.create(spec('log', 'console', options), deps(noStore, { logFormat }, { out })) };
}

describe('log destination', () => {
  it('JSON log format: one JSON line shaped like the relay\'s own, whatever the event holds', async () => {
    const { out, d } = logDestination({}, 'json');
    const event = fixtureEvent('recording', { room_id: HOSTILE_ROOM });
    await d.send(claimed(event, 'console'), new AbortController().signal);
    expect(out.lines).to.have.length(1);
    const line = JSON.parse(out.lines[0]!) as Record<string, unknown>;
    expect(line).to.include({ level: 30, service: 'enx-relay', destination: 'console', event_id: event.id });
    expect(line['msg']).to.be.a('string').and.include(`room ${HOSTILE_ROOM}`);
    expect(out.lines[0]).to.not.match(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('format: json keeps a file-transfer\'s own `destination` under `event`, never in place of the name', async () => {
    for (const logFormat of ['json', 'pretty'] as const) {
      const { out, d } = logDestination({ format: 'json' }, logFormat);
      const event = fixtureEvent('file-transfer');
      await d.send(claimed(event, 'console'), new AbortController().signal);
      const text = out.lines[0]!;
      const line = (logFormat === 'json' ? JSON.parse(text) : JSON.parse(text.replace(/^\[console\] /, ''))) as Record<string, any>;
      if (logFormat === 'json') {
        expect(line['destination']).to.equal('console');
        expect(line['event'].destination).to.deep.equal(event.destination);
      } else expect(line['destination']).to.deep.equal(event.destination);
    }
    const rendered = await logDestination({ format: 'json' }, null).d.render(fixtureEvent('file-transfer'));
    expect(JSON.parse(rendered.payload as string)).to.include({ destination: 'console' }).and.have.nested.property('event.destination.name', 'awss3');
  });

  it('pretty log format: `[name] text`, with control characters escaped', async () => {
    const { out, d } = logDestination({}, 'pretty');
    await d.send(claimed(fixtureEvent('roomdrop', { room_id: HOSTILE_ROOM }), 'console'), new AbortController().signal);
    expect(out.lines).to.have.length(1);
    expect(out.lines[0]).to.match(/^\[console\] session ended · app \S+ · room r1\\n\{"level":50,"time":1,"msg":"forged"\}\\r\\u001b\[2J\\u009b · /);
  });

  it('a template\'s output is escaped the same way', async () => {
    const { out, d } = logDestination({ template: 'room={{ room_id }}' }, 'pretty');
    await d.send(claimed(fixtureEvent('roomdrop', { room_id: HOSTILE_ROOM }), 'console'), new AbortController().signal);
    expect(out.lines).to.deep.equal(['[console] room=r1 {"level":50,"time":1,"msg":"forged"}\\r\\u001b[2J\\u009b']);
  });
});
