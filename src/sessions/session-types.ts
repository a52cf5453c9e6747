import type { TransferDestination } from '../domain/event.js';
import type { SessionId } from './session-key.js';

/**
 * What one event contributes to its session's record, extracted at ingest (session-facts.ts) and
 * kept as JSON beside the event's id. The record is a fold of these (fold-session.ts), so the
 * order the events arrived in cannot matter.
 */
export interface SessionFacts {
  /** roomdrop: when the session ended (trans_date, else the arrival). */
  endedAt?: string;
  /** recording: the files. */
  recordings?: { name: string; url: string }[];
  /** transcoded: the file of this stage, with its size. */
  transcoded?: { stage: number | null; name: string | null; url: string | null; sizeBytes: number | null };
  /** file-transfer: where the files went. */
  transfer?: { destination: TransferDestination | null; files: { name: string; url: string }[] };
  /** relay.recording.mirrored / mirror_failed: each copy as it stands. */
  mirror?: { destination: string | null; target: string | null; copies: SessionMirrorCopy[] };
  /** A type the relay does not know: listed, nothing else read. */
  unknown?: true;
}

export interface SessionMirrorCopy {
  name: string;
  status: 'mirrored' | 'failed' | 'pending';
  location: string | null;
  sizeBytes: number | null;
  reason: string | null;
}

/** An expectation's watch over one session: opened by its `after` event, ended by its `then` one. */
export type WatchState =
  /** Opened; the `then` event has not come and `due_at` has not passed. */
  | 'waiting'
  /** The `then` event came in time (or before the `after` one). */
  | 'met'
  /** Past due without the `then` event: relay.session.overdue is (being) announced. */
  | 'overdue'
  /** The `then` event came after the overdue: relay.session.recovered is owed. */
  | 'late'
  /** relay.session.recovered announced. */
  | 'recovered'
  /** Its expectation left the rules before it fired: it never will. */
  | 'cancelled';

export const WATCH_STATES: readonly WatchState[] = ['waiting', 'met', 'overdue', 'late', 'recovered', 'cancelled'];

export interface SessionWatch {
  /** The expectation's `name`. */
  name: string;
  afterType: string;
  thenType: string;
  /** The arrival of the `after` event that opened it (the earliest such event). */
  afterAt: string;
  dueAt: string;
  state: WatchState;
  /** When it last changed state. */
  updatedAt: string;
}

/** An expectation watch opened by an event (its type is the expectation's `after`). */
export interface WatchOpen {
  name: string;
  afterType: string;
  thenType: string;
  dueAt: string;
}

/**
 * What an ingest writes about the event's session, in the event's transaction. Computed on the
 * main thread (session-touch.ts): the store only writes it. Absent: the event has no session.
 */
export interface SessionTouch extends SessionId {
  /** formatSessionKey of the three fields. */
  key: string;
  /** The event's type. The texts of a touch are as both engines store them (stored-text.ts). */
  type: string;
  /** This event's contribution (its `type`, arrival and id are the event's). */
  facts: SessionFacts;
  /** Watches this event opens (a watch already open for that name stays as it is). */
  opens: WatchOpen[];
  /**
   * Some expectation in force awaits this event's type: the session's watches waiting for it are
   * met (or late). False skips that write (a watch of an expectation no longer in force is the
   * watchdog's to cancel).
   */
  satisfies: boolean;
}

/** One event of a session as the record lists it. */
export interface SessionEventRef {
  id: string;
  type: string;
  receivedAt: string;
}

export interface SessionFile {
  name: string;
  url: string;
  eventId: string;
}

/** The whole record of one session: a fold of its events, the same whatever order they came in. */
export interface SessionRecord extends SessionId {
  key: string;
  /** Arrival of the first and the last of its events. */
  firstAt: string;
  lastAt: string;
  /** The roomdrop's time; null while none came. */
  endedAt: string | null;
  recordings: SessionFile[];
  /** By stage (null last), then name. */
  transcoded: { stage: number | null; name: string | null; url: string | null; sizeBytes: number | null; eventId: string }[];
  transfers: { destination: TransferDestination | null; files: { name: string; url: string }[]; eventId: string }[];
  /** One entry per (mirror destination, file): mirrored wins over failed wins over pending. */
  mirrored: (SessionMirrorCopy & { destination: string | null; target: string | null; eventId: string })[];
  /** Events of types the relay does not know. */
  unknown: SessionEventRef[];
  /** Every event of the session, by arrival. */
  events: SessionEventRef[];
  /** The watches of the rules' expectations, by name. */
  watches: SessionWatch[];
}

/** A session as a listing shows it: from the sessions row, no fold. */
export interface SessionSummary extends SessionId {
  key: string;
  firstAt: string;
  lastAt: string;
  endedAt: string | null;
  /** Events recorded (distinct bodies). */
  events: number;
  /** Watches overdue now (the `then` event still missing). */
  overdue: number;
}

/** Where a listing of sessions stopped: the last one read, by (lastAt, key). */
export interface SessionCursor {
  lastAt: string;
  key: string;
}

export interface SessionPageQuery {
  /** 1..SCAN_BUDGET. */
  limit: number;
  appId?: string;
  roomId?: string;
  /** Only sessions with an overdue watch now. */
  overdue?: boolean;
  before?: SessionCursor;
}

/**
 * A watch the watchdog must act on: waiting past its due time, or late (recovered owed).
 * `thenSeen`: the `then` event is in the session's events after all (it came while the watch was
 * opened on another replica): the watch is met, nothing to announce.
 */
export interface DueWatch extends SessionId {
  key: string;
  watch: SessionWatch;
  thenSeen: boolean;
  /** The session's event types so far, sorted: what arrived. */
  typesSeen: string[];
}

/**
 * A conditional transition: applied only if the watch is in `from` when written. Marks of one
 * call are applied in order in one transaction, so [waiting -> overdue, met -> late] moves the
 * watch by whichever holds.
 */
export interface WatchMark {
  key: string;
  name: string;
  from: WatchState;
  to: WatchState;
  /** A new due time (ISO), written with the transition: `within` changed in the rules. */
  dueAt?: string;
}
