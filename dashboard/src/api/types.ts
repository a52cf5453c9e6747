// The admin API's answers as the page reads them (the relay's /openapi.json describes each).

export type DeliveryStatus = 'pending' | 'delivering' | 'delivered' | 'dead';
export type DeadReason = 'client' | 'server' | 'rate_limited' | 'auth' | 'timeout' | 'network' | 'render' | 'config' | 'expired' | 'source_auth' | 'other';
export const DEAD_REASONS: DeadReason[] = ['client', 'server', 'rate_limited', 'auth', 'timeout', 'network', 'render', 'config', 'expired', 'source_auth', 'other'];
export const STATUSES: DeliveryStatus[] = ['pending', 'delivering', 'delivered', 'dead'];
export const EVENT_TYPES = ['roomdrop', 'recording', 'transcoded', 'file-transfer'];

export interface ErrorDetail {
  path?: string;
  message: string;
}

export interface Delivery {
  id: string;
  eventId: string;
  destination: string;
  route: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  /** Replays after it was delivered: each one a new message. */
  replays: number;
  reason: DeadReason | null;
}

export interface Attempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  outcome: 'success' | 'retry' | 'permanent';
  statusCode: number | null;
  error: string | null;
}

export interface EventSummary {
  id: string;
  type: string;
  appId: string;
  roomId: string;
  confNum: string;
  receivedAt: string;
  deliveries: Delivery[];
}

export interface EventPage {
  events: EventSummary[];
  nextCursor: string | null;
}

export interface EventDetail {
  event: Omit<EventSummary, 'deliveries'> & { occurredAt: string | null; body: Record<string, unknown>; files: { url: string }[]; contentType: string | null; dedupeKey: string; raw?: string };
  deliveries: (Delivery & { attemptLog: Attempt[] })[];
}

export interface DeadLetter {
  eventId: string;
  type: string;
  appId: string;
  roomId: string;
  confNum: string;
  receivedAt: string;
  deliveryId: string;
  destination: string;
  route: string | null;
  attempts: number;
  lastError: string | null;
  reason: DeadReason;
  diedAt: string;
}

export interface DeadLetterGroup {
  destination: string;
  reason: DeadReason;
  count: number;
  oldestAt: string;
  newestAt: string;
  sampleError: string | null;
}

export interface ReloadResult {
  at: string;
  result: 'applied' | 'unchanged' | 'refused';
  hash: string | null;
  errors: ErrorDetail[];
  warnings: ErrorDetail[];
}

export interface RulesStatus {
  file: string;
  hash: string;
  loadedAt: string;
  lastError: { at: string; errors: ErrorDetail[] } | null;
  lastReload: ReloadResult | null;
  destinations: { name: string; kind: string }[];
  routes: { name: string; when: Record<string, unknown>; to: string[]; stop: boolean }[];
  fallback: string | null;
  retry: { scheduleMs: number[] };
  tests: string | null;
}

export interface RenderedMessage {
  target: string;
  summary: string;
  payload: unknown;
}

export interface RouteTest {
  event: { id: string; type: string; appId: string; roomId: string; confNum: string; occurredAt: string | null };
  rulesHash: string;
  matched: { route: string; destinations: string[] }[];
  deliveries: { destination: string; route: string | null; message?: RenderedMessage; error?: string }[];
  testCase: string;
}

export interface Rejected {
  id: number;
  receivedAt: string;
  code: string;
  reason: string;
  contentType: string | null;
  remoteAddr: string | null;
  raw: string;
  rawBase64: string;
}

export interface Health {
  at: string;
  intake: { windowSeconds: number; received: number; atLeast: boolean };
  destinations: { destination: string; kind: string; unfinished: number; oldestUnfinishedAt: string | null; dead: number; atLeast: boolean }[];
  cap: number;
  rules: { hash: string; loadedAt: string; lastReload: ReloadResult['result'] | null };
}

export type WatchState = 'waiting' | 'met' | 'overdue' | 'late' | 'recovered' | 'cancelled';

export interface SessionSummary {
  key: string;
  appId: string;
  roomId: string;
  confNum: string;
  firstAt: string;
  lastAt: string;
  endedAt: string | null;
  events: number;
  overdue: number;
}

export interface SessionPage {
  sessions: SessionSummary[];
  nextCursor: string | null;
}

export interface SessionEventRef {
  id: string;
  type: string;
  receivedAt: string;
}

export interface SessionWatch {
  name: string;
  afterType: string;
  thenType: string;
  afterAt: string;
  dueAt: string;
  state: WatchState;
  updatedAt: string;
}

export interface SessionRecord extends Omit<SessionSummary, 'events' | 'overdue'> {
  recordings: { name: string; url: string; eventId: string }[];
  transcoded: { stage: number | null; name: string | null; url: string | null; sizeBytes: number | null; eventId: string }[];
  transfers: { destination: { name: string; host?: string; account?: string } | null; files: { name: string; url: string }[]; eventId: string }[];
  mirrored: { name: string; status: 'mirrored' | 'failed' | 'pending'; location: string | null; sizeBytes: number | null; reason: string | null; destination: string | null; target: string | null; eventId: string }[];
  unknown: SessionEventRef[];
  events: SessionEventRef[];
  watches: SessionWatch[];
}
