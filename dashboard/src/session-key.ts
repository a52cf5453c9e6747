/**
 * A session's key as the relay writes it (src/sessions/session-key.ts): app~room~conf, each part
 * percent-encoded, `~` as %7E, a NUL or a lone surrogate as U+FFFD (as the store keeps text).
 * Kept in step with the relay's (a unit test compares them); the page builds links with it.
 */
const stored = (s: string): string => s.replaceAll('\0', '\uFFFD').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
const part = (s: string): string => encodeURIComponent(stored(s)).replace(/~/g, '%7E');

export const sessionKeyOf = (e: { appId: string; roomId: string; confNum: string }): string => `${part(e.appId)}~${part(e.roomId)}~${part(e.confNum)}`;
