import { TemplateError } from '../errors.js';
import { liquidText } from './liquid-text.js';

/**
 * How a JSON template keeps its structure whatever the event holds. While rendering, each
 * `{{ }}` leaves a slot in the text instead of its value: the value's text and its JSON form,
 * both JSON-string-escaped (so a slot holds no quote, no control character, hence no slot
 * delimiter), between delimiters that no escaped text and no accepted template contains. Then
 * `assembleJson` reads the template's own JSON around the slots and fills each one by where it
 * stands: inside a string literal, the escaped text (it cannot end the string); outside, one
 * whole JSON value (it cannot add a key or an element).
 */
const OPEN = '\u0001';
const MID = '\u0003';
const CLOSE = '\u0002';
/** In place of the JSON form: a list or an object, which goes outside quotes only through `| json`. */
const NOT_BARE = '\u0004';

/** Characters no JSON template may contain: they delimit slots. */
export const SLOT_CHARS = /[\u0001-\u0004]/;

/** What the `json` filter returns: JSON text meant as a value, not as text to quote. */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** The `json` filter of JSON templates: the value as JSON, every string in it passed through `transform`. */
export function toRawJson(value: unknown, transform: (s: string) => string, space?: unknown): RawJson {
  const indent = typeof space === 'number' && space > 0 ? Math.min(space, 8) : undefined;
  const text = JSON.stringify(value instanceof RawJson ? JSON.parse(value.text) : value, (_k, v: unknown) => (typeof v === 'string' ? transform(v) : v), indent);
  return new RawJson(text ?? 'null');
}

/** The slot one output leaves in a JSON template's text. */
export function jsonSlot(value: unknown, transform: (s: string) => string): string {
  if (value instanceof RawJson) return slot(value.text, value.text);
  const text = transform(liquidText(value));
  return slot(text, bareJson(value, text));
}

function bareJson(value: unknown, text: string): string | null {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return JSON.stringify(text);
  return null;
}

const escape = (s: string): string => JSON.stringify(s).slice(1, -1);

function slot(text: string, json: string | null): string {
  return `${OPEN}${escape(text)}${MID}${json === null ? NOT_BARE : escape(json)}${CLOSE}`;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
/** A whole value stands after one of these (or at the start) and before one of those (or at the end). */
const BEFORE_VALUE = new Set(['[', '{', ',', ':']);
const AFTER_VALUE = new Set([']', '}', ',', ':']);

/**
 * The rendered text of a JSON template, slots filled. Throws TemplateError when a slot outside
 * quotes is not a whole value of its own, holds a list or object without `| json`, or stands
 * right after a backslash inside a string.
 */
export function assembleJson(rendered: string): string {
  const out: string[] = [];
  let inString = false;
  let escaped = false;
  let last = ''; // the last non-whitespace character written, outside slots' own text
  for (let i = 0; i < rendered.length; i++) {
    const c = rendered[i]!;
    if (c === OPEN) {
      const mid = rendered.indexOf(MID, i);
      const end = rendered.indexOf(CLOSE, mid);
      const text = rendered.slice(i + 1, mid);
      const json = rendered.slice(mid + 1, end);
      i = end;
      if (inString) {
        if (escaped) throw refusal('a backslash stands right before {{ }} inside a string, where it would escape the value', out);
        out.push(text);
        continue;
      }
      if (json === NOT_BARE) throw refusal('a list or an object outside quotes needs the json filter: {{ files | json }}', out);
      const next = nextNonSpace(rendered, end + 1);
      if (!(last === '' || BEFORE_VALUE.has(last)) || !(next === '' || AFTER_VALUE.has(next))) {
        throw refusal('a {{ }} outside quotes must be a whole JSON value on its own, such as "n": {{ file_size_bytes }}; put text and several values inside a string', out);
      }
      out.push(JSON.parse(`"${json}"`) as string);
      last = '0'; // a value was written
      continue;
    }
    out.push(c);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        inString = false;
        last = '"';
      }
    } else if (c === '"') inString = true;
    else if (!WHITESPACE.has(c)) last = c;
  }
  // Whether the template's own text around the slots is JSON is for the caller to say.
  return out.join('');
}

function nextNonSpace(s: string, from: number): string {
  for (let i = from; i < s.length; i++) if (!WHITESPACE.has(s[i]!)) return s[i]!;
  return '';
}

function refusal(why: string, before: string[]): TemplateError {
  const tail = before.join('').slice(-40).replace(/\s+/g, ' ');
  return new TemplateError(`${why} (the output there: ${JSON.stringify(tail)})`);
}
