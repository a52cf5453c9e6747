import { RelayError } from '../errors.js';
import { storedText } from './stored-text.js';

/** The three fields that name a video session. */
export interface SessionId {
  appId: string;
  roomId: string;
  confNum: string;
}

/** A session key string that is not three percent-encoded parts joined by `~`. */
export class SessionKeyError extends RelayError {
  constructor(readonly input: string, reason: string) {
    super('bad_request', `not a session key (${reason}): expected app~room~conf, each part percent-encoded`, 400);
    this.name = 'SessionKeyError';
  }
}

// A lone surrogate (which encodeURIComponent refuses) is U+FFFD, as the store keeps it.
const encodePart = (s: string): string => encodeURIComponent(storedText(s)).replace(/~/g, '%7E');

/**
 * The session's key as one string, for the store, CLI arguments and URL paths:
 * `64f0a1~5f3e2b~1234`. Each part is percent-encoded (encodeURIComponent, and `~` as %7E), so the
 * key holds no `~` but the two separators and no character a URL path or a shell would mangle.
 * A NUL or a lone surrogate in a field is U+FFFD in the key, as both engines store such text.
 */
export function formatSessionKey(s: SessionId): string {
  return `${encodePart(s.appId)}~${encodePart(s.roomId)}~${encodePart(s.confNum)}`;
}

/**
 * The inverse of formatSessionKey. Rejects (SessionKeyError) anything formatSessionKey cannot
 * have written: not three parts, a malformed or needless escape, a raw character that would have
 * been encoded. So a key has exactly one spelling.
 */
export function parseSessionKey(key: string): SessionId {
  if (typeof key !== 'string') throw new SessionKeyError(String(key), 'not a string');
  const parts = key.split('~');
  if (parts.length !== 3) throw new SessionKeyError(key, `${parts.length} part${parts.length === 1 ? '' : 's'}, not 3`);
  const decoded = parts.map((p) => {
    let d: string;
    try {
      d = decodeURIComponent(p);
    } catch {
      throw new SessionKeyError(key, 'a malformed %-escape');
    }
    if (encodePart(d) !== p) throw new SessionKeyError(key, 'not in its one spelling (encode each part with encodeURIComponent, ~ as %7E)');
    return d;
  });
  if (decoded.every((d) => d === '')) throw new SessionKeyError(key, 'all three parts are empty');
  return { appId: decoded[0]!, roomId: decoded[1]!, confNum: decoded[2]! };
}
