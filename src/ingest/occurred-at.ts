import { instantMs } from '../domain/instant.js';

/** `trans_date` -> ISO-8601, or null when it cannot be read as a real instant (see domain/instant.ts). */
export function occurredAt(transDate: unknown): string | null {
  const ms = instantMs(transDate);
  return ms === null ? null : new Date(ms).toISOString();
}
