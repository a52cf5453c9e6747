import { InvalidJsonError } from '../errors.js';

/** EnableX bodies are 2 levels deep; deeper nesting is only good for exhausting the stack later. */
export const MAX_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true }); // strips a leading BOM by default

/**
 * Bytes -> the event body as a plain object, whatever the Content-Type said.
 *
 * `__proto__` in a body is harmless here: JSON.parse defines it as an own data property (it never
 * calls the prototype setter), and the relay copies bodies only by spread or canonical string,
 * never by assignment (`Object.assign`, deep-merge), which is where pollution would happen.
 */
export function parseBody(raw: Buffer): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new InvalidJsonError('body is not valid UTF-8');
  }
  if (text.trim() === '') throw new InvalidJsonError('body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InvalidJsonError(syntaxReason(text, err instanceof Error ? err.message : String(err)));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidJsonError(`expected an object at the top level, got ${kind(value)}`);
  }
  if (depth(value) > MAX_DEPTH) throw new InvalidJsonError(`nested deeper than ${MAX_DEPTH} levels`);
  return value as Record<string, unknown>;
}

/** V8 says "... in JSON at position 62": add line, column and the text there, for humans. */
function syntaxReason(text: string, message: string): string {
  const match = /^(.*?)(?: in JSON)? at position (\d+)/.exec(message);
  if (!match) {
    return /end of JSON input/.test(message) ? `unexpected end of input at ${lineColumn(text, text.length)}` : message;
  }
  const position = Number(match[2]);
  const near = text.slice(position, position + 16).replace(/\s+/g, ' ');
  return `${match[1]} at ${lineColumn(text, position)} (position ${position}), near ${JSON.stringify(near)}`;
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Iterative, so a hostile nesting cannot overflow the stack while it is being measured. */
function depth(root: object): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, level] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (level > max) max = level;
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(value)) stack.push([child, level + 1]);
  }
  return max;
}
