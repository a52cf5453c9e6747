/** Option keys that hold a credential (slack `token`, http `signing_secret`, ...). */
const SECRET_OPTION = /token|secret|pass(?:word|wd)|api[-_]?key|credential/i;

/** Header names whose values are credentials (Authorization, Cookie, X-Api-Key, X-Auth-Token, ...). */
const SECRET_HEADER = /auth|token|secret|key|cookie|password/i;

/** Query parameters that carry a credential in a URL (`?token=`, `?api_key=`, `?sig=`). */
const SECRET_PARAM = /token|secret|pass(?:word|wd)?|api[-_]?key|^key$|^sig(?:nature)?$|auth/i;

/** Auth schemes shown in front of a credential: the scheme itself is no secret. */
const SCHEME = /^(?:bearer|basic|token|bot|digest|apikey|api-key|key)\s+(\S.*)$/i;

/**
 * Credentials written in the rules file itself, not only through `${VAR}`: every destination's
 * credential-like options, the values of credential headers, and passwords and credential query
 * parameters of URLs. Runs on the data after substitution, so `Bearer ${TOKEN}` yields the token.
 * Takes any data (a file that failed its checks too): it only reads what has the expected shape.
 */
export function rulesSecrets(data: unknown): string[] {
  const out = new Set<string>();
  const destinations = field(data, 'destinations');
  if (!isObject(destinations)) return [];
  for (const destination of Object.values(destinations)) {
    if (!isObject(destination)) continue;
    for (const options of Object.values(destination)) {
      if (isObject(options)) optionSecrets(options, out);
    }
  }
  return [...out];
}

function optionSecrets(options: Record<string, unknown>, out: Set<string>, depth = 0): void {
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === 'string') {
      if (SECRET_OPTION.test(key)) add(out, value);
      urlSecrets(value, out);
    }
    // Nested options hold credentials too: a mirror's `source_auth: { username, password }`.
    if (isObject(value) && key !== 'headers' && depth < 3) optionSecrets(value, out, depth + 1);
  }
  const headers = options['headers'];
  if (!isObject(headers)) return;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && SECRET_HEADER.test(name) && name.toLowerCase() !== 'idempotency-key') headerSecrets(name, value, out);
  }
}

function headerSecrets(name: string, value: string, out: Set<string>): void {
  const scheme = SCHEME.exec(value.trim());
  const credential = scheme?.[1]?.trim() ?? value;
  add(out, credential);
  // Basic carries `user:password` in base64: the decoded password can turn up elsewhere.
  if (/^basic\s/i.test(value.trim()) && /^[A-Za-z0-9+/]+=*$/.test(credential)) {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) add(out, decoded.slice(colon + 1));
  }
  if (/cookie/i.test(name)) {
    for (const pair of value.split(';')) add(out, pair.slice(pair.indexOf('=') + 1));
  }
}

function urlSecrets(value: string, out: Set<string>): void {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return;
  }
  // Both forms: the percent-encoded one is what a logged URL shows, the decoded one what is sent.
  addEncoded(out, url.password);
  for (const [name, v] of url.searchParams) if (SECRET_PARAM.test(name)) add(out, v);
  for (const segment of pathCredential(url)) addEncoded(out, segment);
}

/**
 * Webhook URLs whose path is the credential: anyone holding a Slack incoming-webhook URL
 * (`hooks.slack.com/services/T…/B…/<secret>`), a Slack workflow trigger, a Discord webhook
 * (`/api/webhooks/<id>/<token>`) or a Teams one can post with it.
 */
function pathCredential(url: URL): string[] {
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split('/').filter(Boolean);
  if (host === 'hooks.slack.com' && segments.length >= 2 && ['services', 'workflows', 'triggers'].includes(segments[0]!)) return [segments[segments.length - 1]!];
  if (/(^|\.)discord(app)?\.com$/.test(host) && segments[0] === 'api' && segments[1] === 'webhooks' && segments.length >= 4) return [segments[3]!];
  if (/\.webhook\.office\.com$/.test(host) && segments.length >= 2) return [segments.slice(1).join('/')];
  return [];
}

function addEncoded(out: Set<string>, encoded: string): void {
  add(out, encoded);
  try {
    add(out, decodeURIComponent(encoded));
  } catch {
    // A malformed escape: the encoded form is all there is.
  }
}

function add(out: Set<string>, value: string): void {
  const v = value.trim();
  if (v !== '') out.add(v);
}

function field(v: unknown, key: string): unknown {
  return isObject(v) ? v[key] : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
