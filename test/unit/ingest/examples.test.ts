import { expect } from 'chai';
import { KNOWN_TYPES } from '../../../src/domain/event.js';
import { exampleBodies, exampleEvents } from '../../../src/ingest/examples.js';
import { fixtureBody } from './fixture.js';

describe('ingest: examples', () => {
  it('gives one body per known type, from the schemas, equal to the fixtures', () => {
    const bodies = exampleBodies();
    expect(Object.keys(bodies)).to.have.members([...KNOWN_TYPES]);
    for (const type of KNOWN_TYPES) expect(bodies[type], type).to.deep.equal(fixtureBody(`${type}.json`));
  });

  it('hands out copies: changing one does not change the next', () => {
    exampleBodies().recording.app_id = 'changed';
    expect(exampleBodies().recording.app_id).to.equal('64f0c1a2e7b9d81f2c3a4b5c');
  });

  it('normalizes each example into an event received at the given time', () => {
    const at = new Date('2025-01-02T03:04:05.000Z');
    const events = exampleEvents(at);
    expect(events.map((e) => e.type)).to.deep.equal([...KNOWN_TYPES]);
    for (const e of events) expect(e.receivedAt).to.equal('2025-01-02T03:04:05.000Z');
    const transcoded = events.find((e) => e.type === 'transcoded')!;
    expect(transcoded).to.include({ stage: 1, fileSize: 48213377, occurredAt: '2024-11-27T09:53:10.000Z' });
    expect(JSON.parse(transcoded.raw.toString('utf8'))).to.deep.equal(fixtureBody('transcoded.json'));
  });
});
