/**
 * A session's key as the relay writes it (src/sessions/session-key.ts): app~room~conf, each part
 * percent-encoded, `~` as %7E. Kept in step with the relay's; the page builds links with it.
 */
const part = (s: string): string => encodeURIComponent(s).replace(/~/g, '%7E');

export const sessionKeyOf = (e: { appId: string; roomId: string; confNum: string }): string => `${part(e.appId)}~${part(e.roomId)}~${part(e.confNum)}`;
