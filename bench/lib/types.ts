/** One line of the summary table. */
export interface Row {
  figure: string;
  relay: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null: not judged (a quick run's N, or a figure without a target). */
  met: boolean | null;
}

/** What a phase hands back: its table rows, its raw figures (markdown lines) and anything wrong seen. */
export interface PhaseResult {
  phase: string;
  rows: Row[];
  raw: string[];
  /** Errors, lost or repeated events, failed requests, relay warnings: reported, never hidden. */
  problems: string[];
}

export interface Profile {
  quick: boolean;
  connections: number;
  sustainedS: number;
  intakeS: number;
  drainNs: number[];
  idleCount: number;
  engines: ('sqlite' | 'postgres')[];
  logLevel: string;
  /** The mirror phase: the file's size, how many runs beside curl, and a larger file for memory (null: none). */
  mirrorGiB: number;
  mirrorRuns: number;
  mirrorMemoryGiB: number | null;
  /** `concurrency:` of the receiver destination in the rules; null: the relay's default. */
  destinationConcurrency: number | null;
}
