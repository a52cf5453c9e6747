import { parseDuration } from '../../config/rules-duration.js';
import { compileTemplate, type CompiledTemplate } from '../../templates/engine.js';
import { compileGlob } from '../../routing/glob.js';
import type { HostMatcher } from './fetch-source.js';
import { parseTarget, type MirrorTarget } from './mirror-target.js';

/**
 * The options of a `mirror:` destination, as admins write them:
 *
 *   to: s3://enx-recordings/enablex/        or file:///var/lib/enx-relay/recordings
 *   source_auth: { username, password }      the portal's "recording access" Basic credentials
 *   key: "{{ app_id }}/{{ room_id }}/{{ conf_num }}/{{ file_name }}"   each file's key (default)
 *   source_hosts: ["*.enablex.io"]          optional: the only hosts files are fetched from
 *   region / endpoint / force_path_style     S3 only; default from AWS_REGION, AWS_ENDPOINT_URL_S3
 *   presign: 7d                              S3 only: a presigned HTTPS link in the announcement
 *   retry: { schedule: [1m, 5m, ...] }       this destination's retries (default DEFAULT_MIRROR_SCHEDULE)
 *   stall_timeout: 60s                       a try with no byte moving for this long is cut off
 *   max_transfer: 6h                         the longest one try of one file may take
 */
export interface MirrorOptions {
  target: MirrorTarget;
  sourceAuth: { username: string; password: string };
  key: CompiledTemplate;
  /** Null: any host (the one the event's URL names). */
  sourceHosts: HostMatcher[] | null;
  region: string | null;
  endpoint: string | null;
  forcePathStyle: boolean;
  presignMs: number | null;
  scheduleMs: number[];
  stallTimeoutMs: number;
  maxTransferMs: number;
}

export interface OptionProblem {
  option: (string | number)[];
  message: string;
}

export const DEFAULT_KEY = '{{ app_id }}/{{ room_id }}/{{ conf_num }}/{{ file_name }}';

/**
 * 46.5 h of retries, 55.8 h at most with the worker's +20% jitter: the last try still falls
 * inside the portal's 72 h even for an event that arrived hours late. A 404 (the file lags
 * behind its event) is asked again quickly at first, then every few hours.
 */
export const DEFAULT_MIRROR_SCHEDULE = ['1m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '8h', '8h', '8h'] as const;
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_TRANSFER_MS = 6 * 3600_000;
/** SigV4 presigned URLs live at most 7 days. */
export const MAX_PRESIGN_MS = 7 * 86_400_000;

/** Options -> typed options, or every problem found, each with the option it concerns. */
export function parseMirrorOptions(o: Record<string, unknown>): { options: MirrorOptions | null; problems: OptionProblem[] } {
  const problems: OptionProblem[] = [];
  const bad = (option: (string | number)[], message: string): void => void problems.push({ option, message });

  let target: MirrorTarget | null = null;
  if (typeof o.to !== 'string' || o.to.trim() === '') bad(['to'], 'to is required: s3://bucket/prefix/ or file:///absolute/directory');
  else {
    const t = parseTarget(o.to.trim());
    if ('problem' in t) bad(['to'], t.problem);
    else target = t.target;
  }

  const auth = o.source_auth as Record<string, unknown> | undefined;
  const username = typeof auth?.username === 'string' ? auth.username : '';
  const password = typeof auth?.password === 'string' ? auth.password : '';
  if (!auth || typeof auth !== 'object') bad(['source_auth'], 'source_auth is required: the portal\'s "recording access" credentials { username, password }');
  else {
    if (username.trim() === '') bad(['source_auth', 'username'], 'source_auth.username is empty');
    else if (username.includes(':')) bad(['source_auth', 'username'], 'source_auth.username may not contain ":" (HTTP Basic)');
    if (password === '') bad(['source_auth', 'password'], 'source_auth.password is empty');
    if (/[\r\n\0]/.test(username + password)) bad(['source_auth'], 'source_auth contains a line break or NUL');
  }

  let key: CompiledTemplate | null = null;
  const keySource = o.key === undefined ? DEFAULT_KEY : o.key;
  if (typeof keySource !== 'string' || keySource.trim() === '') bad(['key'], 'key must be a template, such as ' + DEFAULT_KEY);
  else {
    try {
      key = compileTemplate(keySource);
    } catch (err) {
      bad(['key'], (err as Error).message);
    }
  }

  let sourceHosts: HostMatcher[] | null = null;
  if (o.source_hosts !== undefined) {
    const list = Array.isArray(o.source_hosts) ? o.source_hosts : [o.source_hosts];
    sourceHosts = [];
    list.forEach((h, i) => {
      if (typeof h !== 'string' || !/^[A-Za-z0-9*?.-]+$/.test(h)) bad(['source_hosts', i], `"${String(h)}" is not a host name or glob such as *.enablex.io`);
      else sourceHosts!.push(compileGlob(h.toLowerCase()));
    });
  }

  const s3Only = (name: string): void => {
    if (o[name] !== undefined && target?.kind === 'file') bad([name], `${name} applies to s3:// targets only`);
  };
  for (const name of ['region', 'endpoint', 'force_path_style', 'presign']) s3Only(name);
  const region = typeof o.region === 'string' && o.region.trim() !== '' ? o.region.trim() : null;
  let endpoint: string | null = null;
  if (typeof o.endpoint === 'string') {
    try {
      const u = new URL(o.endpoint);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      if (u.username || u.password) bad(['endpoint'], 'endpoint must not contain credentials: they come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY');
      endpoint = o.endpoint;
    } catch {
      bad(['endpoint'], 'endpoint must be an http:// or https:// URL, such as http://minio:9000');
    }
  }

  const duration = (name: string, dflt: number | null, min: number, max: number): number | null => {
    const v = o[name];
    if (v === undefined) return dflt;
    let ms: number | null = null;
    try {
      ms = parseDuration(v as string);
    } catch {
      ms = null;
    }
    if (ms === null || ms < min || ms > max) {
      bad([name], `${name} must be a duration from ${fmt(min)} to ${fmt(max)}`);
      return dflt;
    }
    return ms;
  };
  const presignMs = duration('presign', null, 1000, MAX_PRESIGN_MS);
  const stallTimeoutMs = duration('stall_timeout', DEFAULT_STALL_TIMEOUT_MS, 100, 3600_000)!;
  const maxTransferMs = duration('max_transfer', DEFAULT_MAX_TRANSFER_MS, 1000, 48 * 3600_000)!;

  let scheduleMs = DEFAULT_MIRROR_SCHEDULE.map((s) => parseDuration(s));
  const retry = o.retry as { schedule?: unknown } | undefined;
  if (retry !== undefined) {
    if (!Array.isArray(retry?.schedule) || retry.schedule.length === 0) bad(['retry', 'schedule'], 'retry.schedule must be a list of durations');
    else {
      try {
        scheduleMs = retry.schedule.map((s) => parseDuration(s as string));
      } catch (err) {
        bad(['retry', 'schedule'], (err as Error).message);
      }
    }
  }

  if (problems.length > 0 || !target || !key) return { options: null, problems };
  return {
    options: {
      target,
      sourceAuth: { username, password },
      key,
      sourceHosts,
      region,
      endpoint,
      forcePathStyle: o.force_path_style === true,
      presignMs,
      scheduleMs,
      stallTimeoutMs,
      maxTransferMs,
    },
    problems,
  };
}

function fmt(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3600_000], ['m', 60_000], ['s', 1000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
