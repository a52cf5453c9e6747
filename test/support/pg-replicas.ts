import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChildRelay, type ChildRelay } from './child-relay.js';
import { pgSchema, type PgSchema } from './pg-schema.js';
import { startScriptedReceiver, type ScriptedReceiver, type ScriptStep } from './scripted-receiver.js';
import { tempDir } from './temp-dir.js';

export interface Replicas {
  relays: ChildRelay[];
  receiver: ScriptedReceiver;
  db: PgSchema;
}

/**
 * Two built relays on one fresh PostgreSQL schema, for the suite it is called in: a scripted
 * receiver answering `reply`, the rules `rules(receiverUrl)`, and `env` beside RELAY_DB and
 * RELAY_RULES. Started before the suite's tests, stopped (SIGTERM) and dropped after them; the
 * returned object is filled once they have started.
 */
export function twoReplicas(opts: { reply: ScriptStep; rules: (receiverUrl: string) => string; env?: Record<string, string> }): Replicas {
  const r = { relays: [] as ChildRelay[] } as unknown as Replicas;
  let tmp: ReturnType<typeof tempDir>;
  before(async () => {
    r.db = pgSchema();
    r.receiver = await startScriptedReceiver();
    r.receiver.setDefault(opts.reply);
    tmp = tempDir();
    const rules = join(tmp.dir, 'rules.yaml');
    writeFileSync(rules, opts.rules(r.receiver.url));
    const env = { RELAY_DB: `${r.db.url}?schema=${r.db.schema}`, RELAY_RULES: rules, ...opts.env };
    r.relays.push(await startChildRelay(env));
    r.relays.push(await startChildRelay(env));
  });
  after(async () => {
    for (const relay of r.relays) await relay.kill('SIGTERM');
    await r.receiver?.close();
    await r.db?.drop();
    tmp?.cleanup();
  });
  return r;
}
