import type { EventStream } from '../../support/event-stream.js';
import type { Verdict } from '../../support/stream-verdict.js';

/** One line of the suite's table: a fault, on one engine, and what became of the stream. */
export interface FaultRow {
  fault: string;
  engine: string;
  sent: number;
  acked: number;
  /** Answers that were 503 (the store said it could not take it). */
  unavailable: number;
  /** Posts with no answer at all (the process was killed under them). */
  cut: number;
  delivered: number;
  duplicates: number;
  lost: number;
  half: number;
  seconds: number;
  note: string;
}

const rows: FaultRow[] = [];

export function recordRow(fault: string, engine: string, stream: EventStream, v: Verdict, startedAt: number, note: string): void {
  rows.push({
    fault,
    engine,
    sent: v.sent,
    acked: v.acked,
    unavailable: stream.tally.get('503') ?? 0,
    cut: stream.tally.get('no answer') ?? 0,
    delivered: v.delivered,
    duplicates: v.duplicates,
    lost: v.lost.length,
    half: v.half.length + v.unackedBroken.length,
    seconds: (Date.now() - startedAt) / 1000,
    note,
  });
}

const COLUMNS: [keyof FaultRow, string][] = [
  ['fault', 'fault'],
  ['engine', 'engine'],
  ['sent', 'sent'],
  ['acked', 'acked (200)'],
  ['unavailable', '503'],
  ['cut', 'no answer'],
  ['delivered', 'delivered'],
  ['duplicates', 'duplicates'],
  ['lost', 'acked lost'],
  ['half', 'half'],
  ['seconds', 's'],
  ['note', ''],
];

/** The rows so far as a plain-text table (numbers right-aligned). */
export function faultTable(): string {
  const cell = (r: FaultRow, k: keyof FaultRow): string => (k === 'seconds' ? r.seconds.toFixed(1) : String(r[k]));
  const widths = COLUMNS.map(([k, title]) => Math.max(title.length, ...rows.map((r) => cell(r, k).length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (typeof rows[0]?.[COLUMNS[i]![0]] === 'number' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS.map(([, t]) => t)), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(COLUMNS.map(([k]) => cell(r, k))))].join('\n');
}
