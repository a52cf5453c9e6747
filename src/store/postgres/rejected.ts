import type { RejectedPageQuery } from '../admin-types.js';
import type { RejectedInput, RejectedRecord } from '../store.js';
import { noNul, type Db } from './db.js';
import { toDate } from './rows.js';

// One statement: insert, then drop what lies `keep` or more ids below the new one: a range of
// the primary key, whatever `keep` is. Identity values may skip (a rolled-back insert, a crash),
// so now and then a few less than `keep` stay; never more.
export const RECORD_REJECTED = `
  WITH ins AS (
    INSERT INTO rejected (received_at, code, reason, raw, content_type, remote_addr)
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
  DELETE FROM rejected WHERE id <= (SELECT id FROM ins) - $7`;

/** Keeps the body and drops the oldest past `keep`, so a flood of bad requests cannot fill the disk. */
export async function recordRejected(db: Db, r: RejectedInput, keep: number): Promise<void> {
  if (keep <= 0) return; // nothing would be kept
  const values = [toDate(r.receivedAt), noNul(r.code), noNul(r.reason), r.raw, noNul(r.contentType), noNul(r.remoteAddr ?? null)];
  await db.query(RECORD_REJECTED, [...values, Math.trunc(keep)]);
}

interface RejectedRow {
  id: string;
  received_at: Date;
  code: string;
  reason: string;
  raw: Buffer;
  content_type: string | null;
  remote_addr: string | null;
}

/** Newest first. */
export async function listRejected(db: Db, limit: number): Promise<RejectedRecord[]> {
  const { rows } = await db.query<RejectedRow>('SELECT * FROM rejected ORDER BY id DESC LIMIT $1', [Math.max(0, Math.trunc(limit))]);
  return rows.map(rejectedOf);
}

/** Newest first, older than `before` (the id is the insertion order). */
export async function pageRejected(db: Db, q: RejectedPageQuery): Promise<RejectedRecord[]> {
  const { rows } = await db.query<RejectedRow>('SELECT * FROM rejected WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2', [
    q.before ?? null,
    Math.max(0, Math.trunc(q.limit)),
  ]);
  return rows.map(rejectedOf);
}

function rejectedOf(r: RejectedRow): RejectedRecord {
  return {
    id: Number(r.id),
    receivedAt: r.received_at.toISOString(),
    code: r.code,
    reason: r.reason,
    raw: r.raw,
    contentType: r.content_type,
    remoteAddr: r.remote_addr,
  };
}
