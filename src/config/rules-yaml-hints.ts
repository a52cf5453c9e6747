import { isPair, isScalar, visit, type Document, type LineCounter, type YAMLError } from 'yaml';

/**
 * What to do about the YAML mistakes admins make most, said where the parser only says what it
 * saw: a value that starts with a character YAML reserves (`*` alias, `@`, a backtick) must be
 * quoted; a `{` or `[` left open is named with its line. `lines` are the file's lines.
 */
export function yamlErrorMessage(e: YAMLError, lines: readonly string[]): string {
  const message = firstLine(e.message);
  const lineNo = e.linePos?.[0]?.line ?? 1;
  const line = lines[lineNo - 1] ?? '';
  const col = (e.linePos?.[0]?.col ?? 1) - 1;
  const key = keyBefore(line, col);
  const value = (/^[^\s,}\]]*/.exec(line.slice(col))?.[0] ?? '') || '*';
  const quoted = `${key ? `${key}: ` : ''}"${value}"`;
  if (e.code === 'BAD_ALIAS') return `"${value}" starts a YAML alias here, not a value: quote it (${quoted})`;
  if (e.code === 'BAD_SCALAR_START') return `${message}: quote the value (${quoted})`;
  if (e.code === 'TAG_RESOLVE_FAILED') return `unsupported YAML tag (${message})`;
  if (e.code === 'BAD_INDENT' && /^Flow (map|sequence)/.test(message)) return `${message}${unclosedFlow(lines, lineNo)}`;
  return message;
}

/** ` (the "{" on line 7 is not closed)`, and why when a `#` inside it made a comment of the rest. */
function unclosedFlow(lines: readonly string[], upTo: number): string {
  for (let n = Math.min(upTo, lines.length); n >= 1; n--) {
    // Quoted strings hold brackets and # freely: blank them out before counting.
    const code = (lines[n - 1] ?? '').replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, '""');
    const beforeComment = code.replace(/(^|\s)#.*$/, '$1');
    const opened = [...beforeComment].filter((c) => c === '{' || c === '[');
    const closed = [...beforeComment].filter((c) => c === '}' || c === ']').length;
    if (opened.length <= closed) continue;
    const why = beforeComment !== code ? ': a "#" after a space starts a YAML comment that hides the rest of that line; quote a value that starts with #' : '';
    return ` (the "${opened[opened.length - 1]}" on line ${n} is not closed${why})`;
  }
  return '';
}

/** `type: *foo` with no `&foo` anchor: YAML reads an alias, the admin meant text. */
export function unresolvedAliasMessage(name: string): string {
  return `"*${name}" is read as a YAML alias and no anchor &${name} is defined: quote it if it is a value ("*${name}")`;
}

/**
 * Values that are empty because `#` started a comment right after the colon (`channel:
 * #video-ops`): position (`file:line:column`, where errors about the value point) -> the message
 * that says so. A comment with a space after `#` (`key:  # note`) is a comment on purpose.
 */
export function commentedOutValues(doc: Document, lineCounter: LineCounter, file: string): Map<string, string> {
  const out = new Map<string, string>();
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.value) || pair.value.value !== null || !pair.value.range) return;
      const comment = pair.value.comment;
      if (typeof comment !== 'string' || !/^\S/.test(comment)) return;
      const key = isScalar(pair.key) ? String(pair.key.value) : 'key';
      const p = lineCounter.linePos(pair.value.range[0]);
      out.set(`${file}:${p.line}:${p.col}`, `${key} is empty: "#" starts a YAML comment, so "#${comment.trim()}" is not its value. Quote it: ${key}: "#${comment.trim()}"`);
    },
  });
  return out;
}

/** `yaml`'s pretty messages carry the position and a source excerpt: the path says both already. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** The key of `key: value` that ends just before `col` on this line, in block or flow style. */
function keyBefore(line: string, col: number): string | null {
  const m = /([A-Za-z0-9_.-]+)\s*:\s*$/.exec(line.slice(0, col));
  return m?.[1] ?? null;
}
