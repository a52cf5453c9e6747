import type { SourcePos, ValueMatcher } from '../config/rules-types.js';

/**
 * One `sessions.expect` entry of the rules: once a session had an `after` event (matching `when`,
 * tested on that event like a route's), its `then` event is due `within` after it.
 */
export interface ExpectationSpec {
  name: string;
  after: string;
  then: string;
  withinMs: number;
  /** As a route's `when`: every entry must hold on the `after` event. Empty: every session. */
  when: { path: string; test: ValueMatcher; source: unknown }[];
  pos: SourcePos;
}
