/**
 * The SQLite writer: a worker thread that owns the write connection of every SQLite store of the
 * process. The main thread posts the writes of each turn of its event loop as one batch and goes
 * on at once; this thread writes every batch that arrived while it was busy together (group
 * commit), then answers each batch. The main thread's event loop never waits for a commit: it
 * goes on reading and checking the next requests meanwhile.
 *
 * Two transactions per round, by what a crash may cost:
 * - durable ops (an ingest answered 200, a rejected body, state, replays, purges) commit with
 *   synchronous=FULL: the WAL is fsynced before anyone is answered;
 * - attempt bookkeeping and claims (a result, a lease, a hand-back, a claim) commit with
 *   synchronous=NORMAL: no fsync of their own. WAL mode stays consistent; a power loss may undo
 *   the last of them, which costs one more send (at-least-once), never an event: an undone claim
 *   or result leaves the delivery due again. The next durable commit's fsync covers them, and
 *   checkpoints always sync.
 * Durable ops run first, so the claims of a round see the deliveries its ingests just stored.
 */
import { parentPort } from 'node:worker_threads';
import type { Database, Statement } from 'better-sqlite3';
import { openSqlite } from './open-sqlite.js';
import { isDurable, runsLast, runWriteOp, type WriteOp } from './writer-ops.js';
import type { FromWriter, SerializedError, ToWriter, WriterResult } from './writer-protocol.js';

const port = parentPort!;
const dbs = new Map<number, Database>();
const send = (m: FromWriter): void => port.postMessage(m);

// Batches that arrived since the last commit, per handle. The port hands over every message
// waiting for it before setImmediate runs, so what queued during a commit is written together.
let waiting = new Map<number, (ToWriter & { kind: 'batch' })[]>();
let scheduled = false;

function writeWaiting(): void {
  scheduled = false;
  const all = waiting;
  waiting = new Map();
  for (const [handle, batches] of all) {
    const db = dbs.get(handle);
    const ops = batches.flatMap((b) => b.ops);
    const answered = new Set<number>();
    // The durable part is on disk: answer what it holds before the bookkeeping's transaction.
    const onDurable = (results: WriterResult[]): void => {
      let at = 0;
      for (const b of batches) {
        const from = at;
        at += b.ops.length;
        const durable = b.ops.flatMap((o, k) => (isDurable(o) ? [k] : []));
        if (durable.length === 0) continue;
        if (durable.length === b.ops.length) {
          send({ kind: 'done', handle, id: b.id, results: results.slice(from, at) });
          answered.add(b.id);
        } else {
          send({ kind: 'early', handle, id: b.id, results: durable.map((k) => [k, results[from + k]!]) });
        }
      }
    };
    const results = db ? guarded(db, () => runRound(db, ops, onDurable), ops.length) : ops.map((): WriterResult => ({ ok: false, error: { name: 'Error', message: 'the database is closed', code: 'SQLITE_MISUSE' } }));
    let at = 0;
    for (const b of batches) {
      if (!answered.has(b.id)) send({ kind: 'done', handle, id: b.id, results: results.slice(at, at + b.ops.length) });
      at += b.ops.length;
    }
  }
}

/** A round that throws fails its ops; the thread (every store's writer) goes on. */
function guarded(db: Database, round: () => WriterResult[], n: number): WriterResult[] {
  try {
    return round();
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    return new Array<WriterResult>(n).fill({ ok: false, error: serializeError(err) });
  }
}

port.on('message', (m: ToWriter) => {
  switch (m.kind) {
    case 'open':
      try {
        dbs.set(m.handle, openSqlite(m.path, { busyTimeoutMs: m.busyTimeoutMs }));
        send({ kind: 'opened', handle: m.handle });
      } catch (err) {
        send({ kind: 'opened', handle: m.handle, error: serializeError(err) });
      }
      return;
    case 'batch': {
      const list = waiting.get(m.handle);
      if (list) list.push(m);
      else waiting.set(m.handle, [m]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(writeWaiting);
      }
      return;
    }
    case 'close':
      // What was posted before the close is written first.
      if (scheduled) writeWaiting();
      dbs.get(m.handle)?.close();
      dbs.delete(m.handle);
      send({ kind: 'closed', handle: m.handle });
  }
});

/**
 * The durable ops in a FULL transaction, then the rest in a NORMAL one; results in `ops` order.
 * `onDurable` hears the results so far once the FULL transaction has committed, when a NORMAL
 * one follows (its ops' callers need not wait for it).
 */
function runRound(db: Database, ops: WriteOp[], onDurable?: (results: WriterResult[]) => void): WriterResult[] {
  const durable: number[] = [];
  const rest: number[] = [];
  ops.forEach((o, i) => (isDurable(o) ? durable : rest).push(i));
  const results: WriterResult[] = new Array(ops.length);
  for (const [idx, sync] of [
    [durable, 'FULL'],
    [rest, 'NORMAL'],
  ] as const) {
    if (idx.length === 0) continue;
    if (sync === 'NORMAL' && durable.length > 0) onDurable?.(results);
    control(db)[sync === 'FULL' ? 'syncFull' : 'syncNormal'].run();
    const part = runBatch(db, idx.map((i) => ops[i]!));
    idx.forEach((i, k) => (results[i] = part[k]!));
  }
  return results;
}

/**
 * All ops in one transaction, claims last (they see what the batch ingested or finished). The
 * usual case runs them straight through; if one fails, the batch is rolled back and run again
 * with each op in its own savepoint, so that one failing op (a constraint, a full disk) fails
 * alone and none stays half written.
 */
function runBatch(db: Database, ops: WriteOp[]): WriterResult[] {
  ops.forEach(reviveBuffers);
  // Migrations keep their own transactions; a batch that holds one is run op by op.
  if (ops.some((o) => o.op === 'migrate')) return ops.map((o) => attempt(() => runWriteOp(db, o)));
  const order = [...ops.keys()].sort((a, b) => Number(runsLast(ops[a]!)) - Number(runsLast(ops[b]!)));
  const fast = inTransaction(db, (results) => {
    for (const i of order) {
      results[i] = attempt(() => runWriteOp(db, ops[i]!));
      if (!results[i]!.ok) return false;
    }
    return true;
  }, ops.length);
  return fast ?? runEachInSavepoint(db, ops, order);
}

/**
 * How many ops of one batch may end its whole transaction before the rest are given up: the
 * database is failing (a full disk, I/O errors), not one op.
 */
const MAX_LOST_TRANSACTIONS = 3;

/**
 * Each op in its own savepoint. Some errors make SQLite roll back the whole transaction on its
 * own (a full disk or an I/O error while writing pages, out of memory, RAISE(ROLLBACK)): what the
 * ops before it wrote is gone too, so the op that did it fails and the pass starts again without
 * it. After MAX_LOST_TRANSACTIONS such ops, the ops not yet written fail as unavailable.
 */
function runEachInSavepoint(db: Database, ops: WriteOp[], order: number[]): WriterResult[] {
  const sp = control(db);
  const failed = new Map<number, WriterResult>();
  for (;;) {
    const lost = { index: -1, result: notWritten };
    const results = inTransaction(db, (results) => {
      for (const i of order) {
        const known = failed.get(i);
        if (known) {
          results[i] = known;
          continue;
        }
        sp.savepoint.run();
        results[i] = attempt(() => runWriteOp(db, ops[i]!));
        if (!db.inTransaction) {
          lost.index = i;
          lost.result = results[i]!;
          return false;
        }
        if (!results[i]!.ok) sp.rollbackTo.run();
        sp.release.run();
      }
      return true;
    }, ops.length);
    if (results) return results;
    if (lost.index < 0) return ops.map(() => notWritten);
    failed.set(lost.index, lost.result);
    if (failed.size >= MAX_LOST_TRANSACTIONS) return ops.map((_, i) => failed.get(i) ?? notWritten);
  }
}

const notWritten: WriterResult = {
  ok: false,
  error: { name: 'Error', message: 'not written: the transaction of its batch was rolled back again and again', code: 'SQLITE_ABORT' },
};

/**
 * BEGIN IMMEDIATE, `body`, COMMIT. Returns the results, or null when `body` gave up (rolled back,
 * to be run another way). If BEGIN or COMMIT fails, nothing of it is durable: every op fails.
 */
function inTransaction(db: Database, body: (results: WriterResult[]) => boolean, n: number): WriterResult[] | null {
  const c = control(db);
  const results: WriterResult[] = new Array(n);
  try {
    c.begin.run();
  } catch (err) {
    return results.fill({ ok: false, error: serializeError(err) });
  }
  let done: boolean;
  try {
    done = body(results);
  } catch (err) {
    // A control statement failed (the transaction ended under it): nothing of it is written.
    if (db.inTransaction) c.rollback.run();
    return results.fill({ ok: false, error: serializeError(err) });
  }
  if (!done) {
    // An op's error may already have rolled the transaction back.
    if (db.inTransaction) c.rollback.run();
    return null;
  }
  try {
    c.commit.run();
    return results;
  } catch (err) {
    if (db.inTransaction) c.rollback.run();
    return results.fill({ ok: false, error: serializeError(err) });
  }
}

type Control = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'rollbackTo' | 'release' | 'syncFull' | 'syncNormal';
const controls = new WeakMap<Database, Record<Control, Statement>>();

/** The transaction control statements, prepared once per connection. */
function control(db: Database): Record<Control, Statement> {
  let c = controls.get(db);
  if (!c) {
    const p = (sql: string): Statement => db.prepare(sql);
    c = {
      begin: p('BEGIN IMMEDIATE'),
      commit: p('COMMIT'),
      rollback: p('ROLLBACK'),
      savepoint: p('SAVEPOINT op'),
      rollbackTo: p('ROLLBACK TO op'),
      release: p('RELEASE op'),
      syncFull: p('PRAGMA synchronous = FULL'),
      syncNormal: p('PRAGMA synchronous = NORMAL'),
    };
    controls.set(db, c);
  }
  return c;
}

function attempt(fn: () => unknown): WriterResult {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}

/** Buffers arrive as Uint8Array (structured clone); better-sqlite3 binds Buffers as BLOBs. */
function reviveBuffers(o: WriteOp): void {
  if (o.op === 'ingest') o.item.event.raw = toBuffer(o.item.event.raw);
  else if (o.op === 'recordRejected') o.rejected.raw = toBuffer(o.rejected.raw);
}

const toBuffer = (u: Uint8Array): Buffer => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength));

function serializeError(err: unknown): SerializedError {
  const e = err as { name?: unknown; message?: unknown; code?: unknown } | null;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    code: typeof e?.code === 'string' ? e.code : undefined,
  };
}
