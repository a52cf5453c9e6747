/**
 * The SQLite writer: a worker thread that owns the write connection of every SQLite store of the
 * process. The main thread posts batches of write ops; each batch is one IMMEDIATE transaction
 * (one fsync), each op in its own savepoint so that one failing op (a constraint, a full disk)
 * fails alone. The main thread's event loop never waits for a commit: it goes on reading and
 * checking the next requests while this thread writes.
 */
import { parentPort } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { openSqlite } from './open-sqlite.js';
import { runsLast, runWriteOp, type WriteOp } from './writer-ops.js';
import type { FromWriter, SerializedError, ToWriter, WriterResult } from './writer-protocol.js';

const port = parentPort!;
const dbs = new Map<number, Database>();
const send = (m: FromWriter): void => port.postMessage(m);

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
      const db = dbs.get(m.handle);
      const results = db ? runBatch(db, m.ops) : m.ops.map((): WriterResult => ({ ok: false, error: { name: 'Error', message: 'the database is closed', code: 'SQLITE_MISUSE' } }));
      send({ kind: 'done', handle: m.handle, id: m.id, results });
      return;
    }
    case 'close':
      dbs.get(m.handle)?.close();
      dbs.delete(m.handle);
      send({ kind: 'closed', handle: m.handle });
  }
});

function runBatch(db: Database, ops: WriteOp[]): WriterResult[] {
  ops.forEach(reviveBuffers);
  // Migrations keep their own transactions; a batch that holds one is run op by op.
  if (ops.some((o) => o.op === 'migrate')) return ops.map((o) => attempt(() => runWriteOp(db, o)));
  const results: WriterResult[] = new Array(ops.length);
  const order = [...ops.keys()].sort((a, b) => Number(runsLast(ops[a]!)) - Number(runsLast(ops[b]!)));
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    return ops.map(() => ({ ok: false, error: serializeError(err) }));
  }
  for (const i of order) {
    db.exec('SAVEPOINT op');
    results[i] = attempt(() => runWriteOp(db, ops[i]!));
    if (!results[i]!.ok) db.exec('ROLLBACK TO op');
    db.exec('RELEASE op');
  }
  try {
    db.exec('COMMIT');
  } catch (err) {
    // Nothing of the batch is durable: every op fails, and none of it stays half written.
    if (db.inTransaction) db.exec('ROLLBACK');
    return ops.map(() => ({ ok: false, error: serializeError(err) }));
  }
  return results;
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
