import { toValue } from 'liquidjs';

/** A value as Liquid prints it: nothing for nil, lists joined without separator, else String(). */
export function liquidText(value: unknown): string {
  const v: unknown = toValue(value);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(liquidText).join('');
  return String(v);
}
