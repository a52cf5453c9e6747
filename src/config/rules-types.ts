import type { ErrorDetail } from '../errors.js';
import type { ExpectationSpec } from '../sessions/expectation.js';

/** Where a value stands in the rules file, for `file:line:column` messages. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export type DestinationKindName = 'slack' | 'email' | 'http' | 'log' | 'mirror';

export interface DestinationSpec {
  name: string;
  kind: DestinationKindName;
  /** The kind's own options, with `${VAR}` already substituted. */
  options: Record<string, unknown>;
  /** Max deliveries in flight to this destination (`concurrency:` beside the kind; default per kind). */
  concurrency?: number;
  /** This destination's own `failing_after:` (ms), overriding `health.failing_after`. */
  failingAfterMs?: number;
  pos: SourcePos;
}

/** A compiled `when` condition over one field (dotted path). */
export type ValueMatcher = (value: unknown) => boolean;

export interface RouteSpec {
  name: string;
  /** Field path -> matcher; every entry must hold. Empty = matches every event. */
  when: { path: string; test: ValueMatcher; source: unknown }[];
  to: string[];
  stop: boolean;
  pos: SourcePos;
}

export interface Rules {
  version: 1;
  file: string;
  /** sha256 of the file's bytes, so status shows which rules are in force. */
  hash: string;
  loadedAt: string;
  destinations: Map<string, DestinationSpec>;
  routes: RouteSpec[];
  fallback: string | null;
  retry: { scheduleMs: number[] };
  /** `health:`; absent in rules built by hand (tests): the defaults (rules-health.ts). */
  health?: { failingAfterMs: number };
  /** `sessions.expect`: what must follow what within a session (absent: none). */
  expectations?: ExpectationSpec[];
  /**
   * The values substituted from `${VAR}`, and credentials written literally in the file (tokens,
   * signing secrets, credential headers, URL passwords): redacted from every log line and API answer.
   */
  secrets: string[];
  /** The file's text as loaded (it may have changed on disk since), for the admin API. */
  source?: string;
  /** A routing test cases file named by `tests:`, resolved against the rules file's folder. */
  tests?: string;
}

/** A refused file carries the secrets found in it too, so that what shows its lines can mask them. */
export type RulesResult = { ok: true; rules: Rules; warnings: ErrorDetail[] } | { ok: false; errors: ErrorDetail[]; secrets?: string[] };
