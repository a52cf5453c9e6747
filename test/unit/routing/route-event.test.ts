import { expect } from 'chai';
import { parseRules } from '../../../src/config/rules.js';
import type { Rules } from '../../../src/config/rules-types.js';
import { routeEvent } from '../../../src/routing/route-event.js';
import { eventView } from '../../../src/domain/event-view.js';
import { acceptPayload } from '../../../src/ingest/accept.js';
import { BODIES, exampleView } from './example-events.js';

function rules(yaml: string): Rules {
  const r = parseRules(yaml, 'test.yaml', { env: {} });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.rules;
}

const DESTS = `
version: 1
destinations:
  ops: { log: {} }
  media: { log: {} }
  archive: { log: {} }
  console: { log: {} }
  s3-watch: { log: {} }
`;

describe('routing/route-event routeEvent', () => {
  const r = rules(`${DESTS}
routes:
  - name: recordings to ops
    when: { type: [recording, transcoded], app_id: "64f0*" }
    to: [ops, media]
  - name: media again
    when: { type: recording }
    to: [media, archive]
  - name: s3 transfers
    when: { destination.name: awss3 }
    to: s3-watch
  - name: mkv files
    when: { files: "*.mkv" }
    to: archive
fallback: console
`);

  it('collects destinations of every matching route, top to bottom', () => {
    const out = routeEvent(r, exampleView('recording'));
    expect(out.matched).to.deep.equal([
      { route: 'recordings to ops', destinations: ['ops', 'media'] },
      { route: 'media again', destinations: ['media', 'archive'] },
      { route: 'mkv files', destinations: ['archive'] },
    ]);
    // media and archive are named twice: each is delivered once, credited to the first route.
    expect(out.deliveries).to.deep.equal([
      { destination: 'ops', route: 'recordings to ops' },
      { destination: 'media', route: 'recordings to ops' },
      { destination: 'archive', route: 'media again' },
    ]);
  });

  it('requires every `when` entry to hold', () => {
    const out = routeEvent(r, exampleView('transcoded', { app_id: '99aa' }));
    expect(out.matched).to.deep.equal([]);
    expect(out.deliveries).to.deep.equal([{ destination: 'console', route: null }]);
  });

  it('reaches nested fields by dotted path', () => {
    expect(routeEvent(r, exampleView('file-transfer')).deliveries).to.deep.equal([{ destination: 's3-watch', route: 's3 transfers' }]);
    const ftp = exampleView('file-transfer', { destination: { name: 'ftp', host: 'ftp.example.com' } });
    expect(routeEvent(r, ftp).deliveries).to.deep.equal([{ destination: 'console', route: null }]);
  });

  it('matches the storage name as normalized at intake: AWSS3 is awss3', () => {
    const body = { ...BODIES['file-transfer'], destination: { name: 'AWSS3', account: 'media' } };
    const event = acceptPayload(Buffer.from(JSON.stringify(body)), 'application/json', new Date());
    expect(routeEvent(r, eventView(event)).deliveries).to.deep.equal([{ destination: 's3-watch', route: 's3 transfers' }]);
  });

  it('sends an event no route matched to the fallback, with no route', () => {
    expect(routeEvent(r, exampleView('roomdrop'))).to.deep.equal({ matched: [], deliveries: [{ destination: 'console', route: null }] });
  });

  it('gives no deliveries when nothing matched and there is no fallback', () => {
    const noFallback = rules(`${DESTS}
routes:
  - { name: only recordings, when: { type: recording }, to: [ops, media, archive, console, s3-watch] }
`);
    expect(routeEvent(noFallback, exampleView('roomdrop'))).to.deep.equal({ matched: [], deliveries: [] });
  });

  it('stops at a matching `stop: true` route, and only a matching one', () => {
    const s = rules(`${DESTS}
routes:
  - { name: transcodes only to ops, when: { type: transcoded }, to: ops, stop: true }
  - { name: everything, to: archive }
fallback: console
`);
    expect(routeEvent(s, exampleView('transcoded')).deliveries).to.deep.equal([{ destination: 'ops', route: 'transcodes only to ops' }]);
    expect(routeEvent(s, exampleView('recording')).deliveries).to.deep.equal([{ destination: 'archive', route: 'everything' }]);
  });

  it('a matching route with `to: []` and stop drops the event from later routes and the fallback', () => {
    const s = rules(`${DESTS}
routes:
  - { name: ignore test rooms, when: { room_id: "test-*" }, to: [], stop: true }
  - { name: everything, to: archive }
fallback: console
`);
    const out = routeEvent(s, exampleView('recording', { room_id: 'test-1' }));
    expect(out).to.deep.equal({ matched: [{ route: 'ignore test rooms', destinations: [] }], deliveries: [] });
  });

  it('routes an unknown event type with `type: "*"`, and matches its own fields', () => {
    const u = rules(`${DESTS}
routes:
  - { name: known, when: { type: [roomdrop, recording, transcoded, file-transfer] }, to: ops }
  - { name: alice joins, when: { type: participant-join, participant: alice }, to: media }
  - { name: anything, when: { type: "*" }, to: archive }
`);
    expect(routeEvent(u, exampleView('participant-join')).deliveries).to.deep.equal([
      { destination: 'media', route: 'alice joins' },
      { destination: 'archive', route: 'anything' },
    ]);
  });

  it('a missing field fails a condition, except under not', () => {
    const n = rules(`${DESTS}
routes:
  - { name: has stage, when: { stage: "*" }, to: ops }
  - { name: no stage, when: { stage: { not: "*" } }, to: media }
`);
    expect(routeEvent(n, exampleView('roomdrop')).deliveries).to.deep.equal([{ destination: 'media', route: 'no stage' }]);
    expect(routeEvent(n, exampleView('transcoded')).deliveries).to.deep.equal([{ destination: 'ops', route: 'has stage' }]);
  });

  it('`when` absent or {} matches every event', () => {
    const all = rules(`${DESTS}
routes:
  - { name: absent, to: ops }
  - { name: empty, when: {}, to: media }
`);
    for (const type of ['roomdrop', 'participant-join']) {
      expect(routeEvent(all, exampleView(type)).deliveries.map((d) => d.destination)).to.deep.equal(['ops', 'media']);
    }
  });

  it('matches numbers in the event by their text (file_size, stage, trans_date)', () => {
    const num = rules(`${DESTS}
routes:
  - { name: stage one, when: { stage: 1, trans_date: "1732*" }, to: ops }
  - { name: big, when: { file_size_bytes: { regex: "^[0-9]{8,}$" } }, to: media }
`);
    expect(routeEvent(num, exampleView('transcoded')).deliveries.map((d) => d.route)).to.deep.equal(['stage one', 'big']);
  });
});
