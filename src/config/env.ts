import { isIP } from 'node:net';
import { ConfigInvalidError } from '../errors.js';
import { LOG_FORMATS, type LogFormat } from '../logging/log-format.js';

/**
 * Every environment read of the relay lives here: typed, validated, once at start. A bad value
 * throws ConfigInvalidError naming the variable, which main prints as one line before exiting.
 */
export interface Settings {
  port: number;
  host: string;
  rulesPath: string;
  db: { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };
  ingestAuth: { user: string; password: string } | null;
  adminToken: string | null;
  slackToken: string | null;
  slackApiUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string | null;
  maxBodyBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** RELAY_LOG_FORMAT; null: readable on a terminal, JSON lines otherwise. */
  logFormat: LogFormat | null;
  dedupeWindowMs: number;
  /** Run the delivery worker in this process. */
  worker: boolean;
  workerConcurrency: number;
  leaseMs: number;
  shutdownGraceMs: number;
  retentionMs: number;
  rejectedKeep: number;
  /** RELAY_WATCH_INTERVAL: how often the relay looks at what it watches (destination health). */
  watchIntervalMs: number;
  /**
   * The AWS secrets the SDK reads by itself for `s3://` mirrors (AWS_SECRET_ACCESS_KEY,
   * AWS_SESSION_TOKEN): the relay only needs them to mask them.
   */
  awsSecrets: string[];
}

type Env = Record<string, string | undefined>;

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadSettings(env: Env = process.env): Settings {
  const user = str(env, 'RELAY_INGEST_USER');
  const password = str(env, 'RELAY_INGEST_PASSWORD');
  if ((user === null) !== (password === null)) {
    const missing = user === null ? 'RELAY_INGEST_USER' : 'RELAY_INGEST_PASSWORD';
    throw new ConfigInvalidError(missing, 'must be set together with ' + (user === null ? 'RELAY_INGEST_PASSWORD' : 'RELAY_INGEST_USER'));
  }
  const level = str(env, 'RELAY_LOG_LEVEL') ?? 'info';
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new ConfigInvalidError('RELAY_LOG_LEVEL', `"${level}" is not one of ${LEVELS.join(', ')}`);
  }
  const format = str(env, 'RELAY_LOG_FORMAT');
  if (format !== null && !(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigInvalidError('RELAY_LOG_FORMAT', `"${format}" is not one of ${LOG_FORMATS.join(', ')} (unset: pretty on a terminal, json otherwise)`);
  }
  const slackApiUrl = url(env, 'RELAY_SLACK_API_URL', ['http:', 'https:']);
  return {
    port: int(env, 'RELAY_PORT', 8080, 0, 65535),
    host: host(env, 'RELAY_HOST') ?? '0.0.0.0',
    rulesPath: str(env, 'RELAY_RULES') ?? 'config/rules.example.yaml',
    db: parseDb(str(env, 'RELAY_DB') ?? 'sqlite:data/relay.db'),
    ingestAuth: user !== null && password !== null ? { user, password } : null,
    adminToken: adminToken(env, 'RELAY_ADMIN_TOKEN'),
    slackToken: str(env, 'SLACK_BOT_TOKEN'),
    // The Slack client joins paths by concatenation: the base must end with "/".
    slackApiUrl: slackApiUrl && !slackApiUrl.endsWith('/') ? slackApiUrl + '/' : slackApiUrl,
    smtpUrl: url(env, 'RELAY_SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: str(env, 'RELAY_MAIL_FROM'),
    maxBodyBytes: bytes(env, 'RELAY_MAX_BODY', 256 * 1024),
    logLevel: level as Settings['logLevel'],
    logFormat: format as LogFormat | null,
    dedupeWindowMs: duration(env, 'RELAY_DEDUPE_WINDOW', 24 * 3600_000),
    worker: bool(env, 'RELAY_WORKER', true),
    workerConcurrency: int(env, 'RELAY_WORKER_CONCURRENCY', 64, 1, 1000),
    // Renewed every third of itself while a send lasts: long enough to survive a busy event loop.
    leaseMs: duration(env, 'RELAY_LEASE', 60_000, 1000, 3600_000),
    shutdownGraceMs: duration(env, 'RELAY_SHUTDOWN_GRACE', 10_000),
    retentionMs: duration(env, 'RELAY_RETENTION', 14 * 24 * 3600_000),
    rejectedKeep: int(env, 'RELAY_REJECTED_KEEP', 1000, 1, 1_000_000),
    watchIntervalMs: duration(env, 'RELAY_WATCH_INTERVAL', 30_000, 100, 3600_000),
    awsSecrets: [str(env, 'AWS_SECRET_ACCESS_KEY'), str(env, 'AWS_SESSION_TOKEN')].filter((s): s is string => s !== null),
  };
}

function str(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v.trim() === '' ? null : v.trim();
}

/** An IP address or a host name; dotted numbers that are no IPv4 address (256.1.1.1) are a typo. */
function host(env: Env, name: string): string | null {
  const v = str(env, name);
  if (v === null || isIP(v) !== 0) return v;
  if (/^[\d.]+$/.test(v)) throw new ConfigInvalidError(name, `"${v}" is not an IPv4 address (each of its four numbers is 0 to 255)`);
  const labels = v.replace(/\.$/, '').split('.');
  if (v.length > 253 || !labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(l))) {
    throw new ConfigInvalidError(name, `"${v}" is neither an IP address nor a host name (0.0.0.0 listens on every interface, 127.0.0.1 on this machine only)`);
  }
  return v;
}

/** Shorter tokens can be guessed; a token with a space inside could never be sent in one header. */
export const MIN_ADMIN_TOKEN = 16;

function adminToken(env: Env, name: string): string | null {
  const v = str(env, name);
  if (v === null) return null;
  // The value itself is never echoed: it is a secret even when it is refused.
  if (/\s/.test(v)) throw new ConfigInvalidError(name, 'contains whitespace, so no Authorization header could carry it: use a token without spaces (openssl rand -hex 32)');
  if (v.length < MIN_ADMIN_TOKEN) throw new ConfigInvalidError(name, `is ${v.length} characters long; at least ${MIN_ADMIN_TOKEN} are needed (openssl rand -hex 32)`);
  return v;
}

function int(env: Env, name: string, dflt: number, min: number, max: number): number {
  const v = str(env, name);
  if (v === null) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new ConfigInvalidError(name, `"${v}" is not a whole number from ${min} to ${max}`);
  }
  return Number(v);
}

function bool(env: Env, name: string, dflt: boolean): boolean {
  const v = str(env, name);
  if (v === null) return dflt;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigInvalidError(name, `"${v}" is not true or false`);
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2 };

function bytes(env: Env, name: string, dflt: number): number {
  const v = str(env, name);
  if (v === null) return dflt;
  const m = /^(\d+)\s*(b|kb|mb)?$/i.exec(v);
  if (!m || Number(m[1]) === 0) throw new ConfigInvalidError(name, `"${v}" is not a size such as 256kb or 1mb`);
  return Number(m[1]) * BYTE_UNITS[(m[2] ?? '').toLowerCase()]!;
}

/** Parses `500ms`, `5s`, `2m`, `1h`, `14d`; a bare number is milliseconds. */
export function parseDuration(v: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86400_000 }[m[2] ?? 'ms']!;
  return Math.round(Number(m[1]) * unit);
}

function duration(env: Env, name: string, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = str(env, name);
  if (v === null) return dflt;
  const ms = parseDuration(v);
  if (ms === null) throw new ConfigInvalidError(name, `"${v}" is not a duration such as 500ms, 30s, 2m, 1h or 14d`);
  if (ms < min) throw new ConfigInvalidError(name, `"${v}" is shorter than the least allowed, ${min} ms`);
  if (ms > max) throw new ConfigInvalidError(name, `"${v}" is longer than the most allowed, ${max} ms`);
  return ms;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const v = str(env, name);
  if (v === null) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigInvalidError(name, 'is not a valid URL');
  }
  if (!protocols.includes(u.protocol)) throw new ConfigInvalidError(name, `must start with ${protocols.map((p) => p + '//').join(' or ')}`);
  return v;
}

function parseDb(v: string): Settings['db'] {
  if (v.startsWith('sqlite:')) {
    const path = v.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new ConfigInvalidError('RELAY_DB', 'sqlite: needs a file path, e.g. sqlite:data/relay.db');
    return { engine: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(v)) return { engine: 'postgres', url: v };
  throw new ConfigInvalidError('RELAY_DB', 'must be sqlite:<path> or postgres://...');
}
