/** A deadlock (40P01) or a serialization failure (40001): the statement or transaction was rolled back whole. */
const ROLLED_BACK = new Set(['40P01', '40001']);

/**
 * Runs `fn` (one statement, or one transaction) again when PostgreSQL rolled it back whole for a
 * deadlock or a serialization failure, at most `times` in all: nothing of a rolled-back try is
 * kept, so trying again is safe. Other errors, and the last try's, are thrown.
 */
export async function runAgainIfRolledBack<T>(fn: () => Promise<T>, times = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= times || !ROLLED_BACK.has(String((err as { code?: unknown }).code))) throw err;
    }
  }
}
