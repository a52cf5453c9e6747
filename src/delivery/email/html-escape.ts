import { replaceControlsKeepLines } from '../../templates/control-chars.js';

/** Event data in HTML mail is text, never markup: `<`, `&` and quotes are escaped everywhere, control characters replaced. */
export function escapeHtml(s: string): string {
  return replaceControlsKeepLines(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The same view with every string escaped, for admin HTML templates: values cannot inject markup. */
export function escapeView(v: unknown): unknown {
  if (typeof v === 'string') return escapeHtml(v);
  if (Array.isArray(v)) return v.map(escapeView);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeView(x)]));
  return v;
}
