import type { WriteOp } from './writer-ops.js';

/** An error as it crosses the thread boundary: enough to map it (storeError reads `code`). */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

/**
 * Main -> writer. One writer thread per process serves every SQLite store the process opens
 * (the relay has one; a test process has many), each by its handle.
 */
export type ToWriter =
  | { kind: 'open'; handle: number; path: string; busyTimeoutMs?: number }
  | { kind: 'batch'; handle: number; id: number; ops: WriteOp[] }
  | { kind: 'close'; handle: number };

export type WriterResult = { ok: true; value: unknown } | { ok: false; error: SerializedError };

/**
 * Writer -> main. A batch's reply comes once its commit is durable, one result per op in order.
 * A batch that mixes durable ops with bookkeeping (an ingest and the claim it woke) first gets
 * `early`: the results of its durable ops, as soon as their commit is on disk, so EnableX's 200
 * does not wait for the bookkeeping's transaction. Its `done` then repeats them (ignored).
 */
export type FromWriter =
  | { kind: 'opened'; handle: number; error?: SerializedError }
  | { kind: 'done'; handle: number; id: number; results: WriterResult[] }
  | { kind: 'early'; handle: number; id: number; results: [index: number, result: WriterResult][] }
  | { kind: 'closed'; handle: number };
