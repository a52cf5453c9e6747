import { StoreUnavailableError } from '../../errors.js';

// Node socket errors: the server is down, unreachable or went away mid-query.
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

// SQLSTATE classes that mean "cannot take this right now": 08 connection exception, 53
// insufficient resources (too many connections, disk full), 57 operator intervention (admin
// shutdown, statement timeout), 58 system error.
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);
// And single codes: serialization failure, deadlock, lock timeout, read-only (a failover in
// progress), missing database, failed authentication. EnableX gets a 503 and sends again.
const UNAVAILABLE_CODES = new Set(['40001', '40P01', '55P03', '25006', '3D000', '28000', '28P01']);

// node-postgres reports a lost or closed connection with plain Errors and these messages.
const CLIENT_GONE = /Connection terminated|not queryable|after calling end on the pool|timeout exceeded when trying to connect|connection timeout/i;

/** Maps a node-postgres failure to StoreUnavailableError when the server or the connection caused it; anything else (constraints, SQL) stays as it is. */
export function storeError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  if (isUnavailable(err)) return new StoreUnavailableError(describe(err));
  return err;
}

function isUnavailable(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK.has(code) || UNAVAILABLE_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.has(code.slice(0, 2))) return true;
  }
  // Node may report a refused connection to several addresses as an AggregateError.
  if (err instanceof AggregateError) return err.errors.some(isUnavailable);
  return err instanceof Error && CLIENT_GONE.test(err.message);
}

function describe(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : 'no answer';
  return typeof e.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}
