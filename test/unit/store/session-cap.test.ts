import { expect } from 'chai';
import Database from 'better-sqlite3';
import pg from 'pg';
import { join } from 'node:path';
import type { RelayEvent } from '../../../src/domain/event.js';
import { formatSessionKey } from '../../../src/sessions/session-key.js';
import { sessionTouch } from '../../../src/sessions/session-touch.js';
import type { SessionRecord } from '../../../src/sessions/session-types.js';
import { openStore } from '../../../src/store/open-store.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { getSession as pgGetSession } from '../../../src/store/postgres/sessions.js';
import { getSession as sqGetSession } from '../../../src/store/sqlite/sessions.js';
import type { Store } from '../../../src/store/store.js';
import { sessionEvent } from '../../contract/session-fixtures.js';
import { pgSchema } from '../../support/pg-schema.js';
import { tempDir } from '../../support/temp-dir.js';

// A session with more contributions than a read takes (SESSION_EVENTS_CAP, here a small cap):
// the rows read are some of them, in fact_key order, and the roomdrop may not be among them.
const T0 = Date.parse('2026-01-01T10:00:00Z');
const others = Array.from({ length: 10 }, (_, i) => sessionEvent({ type: 'whiteboard-saved', n: i }, new Date(T0 + 60_000 * (i + 1))));
// A roomdrop (the first event) whose fact_key sorts after some of the others, not all: with the
// cap at how many sort before it, the rows read leave it out.
const before = (d: RelayEvent): number => others.filter((e) => e.dedupeKey < d.dedupeKey).length;
let drop = sessionEvent({ type: 'roomdrop' }, new Date(T0));
for (let j = 0; before(drop) < 2 || before(drop) === others.length; j++) drop = sessionEvent({ type: 'roomdrop', attempt: j }, new Date(T0));
const cap = before(drop);
const key = formatSessionKey(drop);
const lastAt = new Date(T0 + 60_000 * others.length).toISOString();

async function fill(store: Store): Promise<void> {
  await store.migrate();
  for (const e of [drop, ...others]) await store.ingest(e, [], { dedupeSince: new Date(0), session: sessionTouch(e, []) ?? undefined });
}

function check(r: SessionRecord | null): void {
  expect(r!.events).to.have.length(cap);
  expect(r!.events.map((e) => e.type)).to.not.include('roomdrop');
  // When it ended, began and last heard of: the session row's, whatever rows were read.
  expect({ endedAt: r!.endedAt, firstAt: r!.firstAt, lastAt: r!.lastAt }).to.deep.equal({ endedAt: drop.occurredAt, firstAt: drop.receivedAt, lastAt });
}

describe('a session past the read cap', () => {
  it('SQLite: ended, first and last are the whole session\'s', async () => {
    const tmp = tempDir();
    try {
      const path = join(tmp.dir, 'relay.db');
      const store = await openStore({ engine: 'sqlite', path });
      await fill(store);
      expect((await store.getSession(key))!.endedAt).to.equal(drop.occurredAt);
      await store.close();
      const db = new Database(path, { readonly: true });
      try {
        check(sqGetSession(db, key, cap));
      } finally {
        db.close();
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('PostgreSQL: ended, first and last are the whole session\'s', async () => {
    const s = pgSchema();
    const store = new PostgresStore(s.url, { schema: s.schema, max: 2 });
    const client = new pg.Client({ connectionString: s.url, options: `-c search_path=${s.schema}` });
    try {
      await fill(store);
      await client.connect();
      check(await pgGetSession(client, key, cap));
    } finally {
      await client.end().catch(() => undefined);
      await store.close();
      await s.drop();
    }
  });
});
