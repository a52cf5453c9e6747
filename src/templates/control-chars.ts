/**
 * C0 and C1 control characters, DEL, and the Unicode line and paragraph separators: what a
 * terminal, a mail header or a chat client may read as structure rather than text.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const CONTROLS_BUT_TAB_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Every control character becomes `by` (a space by default): for one-line texts such as mail headers. */
export function replaceControls(s: string, by = ' '): string {
  return s.replace(CONTROLS, by);
}

/** Keeps tab and line feed (a body's own line structure), replaces the other controls with U+FFFD. */
export function replaceControlsKeepLines(s: string): string {
  return s.replace(CONTROLS_BUT_TAB_LF, '\ufffd');
}
