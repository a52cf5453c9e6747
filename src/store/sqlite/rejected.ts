import type { Database } from 'better-sqlite3';
import type { RejectedPageQuery } from '../admin-types.js';
import type { RejectedInput, RejectedRecord } from '../store.js';
import { prepared } from './prepared.js';
import { toIso, toMs } from './rows.js';

export const INSERT_REJECTED = 'INSERT INTO rejected (received_at, code, reason, raw, content_type, remote_addr) VALUES (?, ?, ?, ?, ?, ?)';
// Ids are consecutive (AUTOINCREMENT, rows only ever dropped from the oldest end): what falls
// `keep` or more below the newest goes, a range of the primary key, whatever `keep` is.
export const TRIM_REJECTED = 'DELETE FROM rejected WHERE id <= ? - ?';

/**
 * Keeps the body and drops the oldest past `keep`, so a flood of bad requests cannot fill the disk.
 * Runs inside the writer's transaction.
 */
export function recordRejected(db: Database, r: RejectedInput, keep: number): void {
  const { lastInsertRowid } = prepared(db, INSERT_REJECTED).run(toMs(r.receivedAt), r.code, r.reason, r.raw, r.contentType, r.remoteAddr ?? null);
  prepared(db, TRIM_REJECTED).run(lastInsertRowid, Math.max(0, keep));
}

interface RejectedRow {
  id: number;
  received_at: number;
  code: string;
  reason: string;
  raw: Buffer;
  content_type: string | null;
  remote_addr: string | null;
}

/** Newest first. */
export function listRejected(db: Database, limit: number): RejectedRecord[] {
  return (prepared(db, 'SELECT * FROM rejected ORDER BY id DESC LIMIT ?').all(Math.max(0, limit)) as RejectedRow[]).map(rejectedOf);
}

/** Newest first, older than `before` (the id is the insertion order). */
export function pageRejected(db: Database, q: RejectedPageQuery): RejectedRecord[] {
  const sql = 'SELECT * FROM rejected WHERE id < ? ORDER BY id DESC LIMIT ?';
  return (prepared(db, sql).all(q.before ?? Number.MAX_SAFE_INTEGER, Math.max(0, Math.trunc(q.limit))) as RejectedRow[]).map(rejectedOf);
}

function rejectedOf(r: RejectedRow): RejectedRecord {
  return {
    id: r.id,
    receivedAt: toIso(r.received_at),
    code: r.code,
    reason: r.reason,
    raw: r.raw,
    contentType: r.content_type,
    remoteAddr: r.remote_addr,
  };
}
