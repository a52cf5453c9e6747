import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { KNOWN_TYPES } from '../../../src/domain/event.js';
import { EVENT_SCHEMA_NAMES, SCHEMAS_DIR, loadSchema } from '../../../src/ingest/load-schema.js';
import { fixtureBody } from './fixture.js';

describe('ingest: event schemas', () => {
  it('are found in schemas/ at the package root', () => {
    expect(SCHEMAS_DIR.pathname).to.match(/\/schemas\/$/);
    for (const name of EVENT_SCHEMA_NAMES) expect(existsSync(new URL(`${name}.schema.json`, SCHEMAS_DIR)), name).to.equal(true);
  });

  for (const name of EVENT_SCHEMA_NAMES) {
    it(`${name}: has $id, title, description and at least one example`, () => {
      const schema = loadSchema(name);
      expect(schema.$id).to.equal(`https://enx-relay.local/schemas/${name}.schema.json`);
      expect(schema.title).to.be.a('string').and.not.equal('');
      expect(schema.description).to.be.a('string').and.not.equal('');
      expect(schema.examples).to.be.an('array').that.is.not.empty;
    });
  }

  for (const type of KNOWN_TYPES) {
    it(`${type}: its example is the realistic fixture body, test/fixtures/enablex/${type}.json`, () => {
      expect(loadSchema(type).examples[0]).to.deep.equal(fixtureBody(`${type}.json`));
    });
  }

  it('loads each file once: later calls give the same object', () => {
    expect(loadSchema('recording')).to.equal(loadSchema('recording'));
  });
});
