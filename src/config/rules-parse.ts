import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ErrorDetail } from '../errors.js';
import type { SourcePos } from './rules-types.js';
import { commentedOutValues, unresolvedAliasMessage, yamlErrorMessage } from './rules-yaml-hints.js';

export type YamlPath = (string | number)[];

/** A parsed rules file and the means to point at any value in it. */
export interface ParsedYaml {
  data: unknown;
  /** `file:line:column` of the value at `path` (of its key with `key: true`), else of its nearest parent. */
  where(path: YamlPath, opts?: { key?: boolean }): string;
  posAt(path: YamlPath, opts?: { key?: boolean }): SourcePos;
  /** Source text of the value at `path`, with the offset where it starts (for positions inside strings). */
  sourceOf(path: YamlPath): { text: string; start: number } | null;
  /** `file:line:column` of an absolute offset in the file. */
  whereOffset(offset: number): string;
  /** Errors at these positions are about a value a `#` comment emptied: the message says so instead. */
  hints: ReadonlyMap<string, string>;
}

// A rules file has no reason for more than a handful of aliases; many more means an alias bomb.
const MAX_ALIAS_COUNT = 100;

/**
 * YAML -> plain data, with every syntax problem as `file:line:column: message`. Tags that would
 * build code (`!!js/function`) are unknown to the YAML 1.2 core schema: they are reported as
 * errors here rather than left as the plain strings `yaml` would make of them.
 */
export function parseRulesYaml(text: string, file: string): { ok: true; parsed: ParsedYaml } | { ok: false; errors: ErrorDetail[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, schema: 'core' });
  const at = (line: number, col: number): string => `${file}:${line}:${col}`;
  // One mistake, one error: after the first syntax error, what the parser says is mostly its echo
  // (an unclosed bracket trips every line after it). Each tag that would build code is its own.
  const problems = doc.errors.length > 0 ? doc.errors.slice(0, 1) : doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (problems.length > 0) {
    const lines = text.split('\n');
    return {
      ok: false,
      errors: problems.map((e) => {
        const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
        return { path: at(pos.line, pos.col), message: yamlErrorMessage(e, lines) };
      }),
    };
  }
  if (doc.contents === null) return { ok: false, errors: [{ path: at(1, 1), message: 'file is empty' }] };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const unresolved = /^Unresolved alias[^:]*: (.*)$/.exec((err as Error).message);
    if (unresolved) {
      const i = text.indexOf(`*${unresolved[1]}`);
      const p = lineCounter.linePos(Math.max(0, i));
      return { ok: false, errors: [{ path: at(p.line, p.col), message: unresolvedAliasMessage(unresolved[1] ?? '') }] };
    }
    return { ok: false, errors: [{ path: at(1, 1), message: `YAML aliases expand too much (${(err as Error).message})` }] };
  }

  const whereOffset = (offset: number): string => {
    const p = lineCounter.linePos(offset);
    return at(p.line, p.col);
  };
  const posAt = (path: YamlPath, opts: { key?: boolean } = {}): SourcePos => {
    const p = lineCounter.linePos(offsetOf(doc, path, opts.key ?? false));
    return { file, line: p.line, column: p.col };
  };
  return {
    ok: true,
    parsed: {
      data,
      posAt,
      where: (path, opts) => {
        const p = posAt(path, opts);
        return at(p.line, p.column);
      },
      whereOffset,
      hints: commentedOutValues(doc, lineCounter, file),
      sourceOf: (path) => {
        const node = doc.getIn(path, true) as Node | undefined;
        if (!node || !isScalar(node) || !node.range) return null;
        return { text: text.slice(node.range[0], node.range[1]), start: node.range[0] };
      },
    },
  };
}

function offsetOf(doc: Document, path: YamlPath, key: boolean): number {
  for (let n = path.length; n > 0; n--) {
    const sub = path.slice(0, n);
    if (key && n === path.length) {
      const parent = sub.length > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(sub[sub.length - 1]));
        const keyNode = pair?.key as Node | undefined;
        if (keyNode?.range) return keyNode.range[0];
      }
    }
    const node = doc.getIn(sub, true) as Node | undefined;
    if (node && typeof node === 'object' && node.range) return node.range[0];
  }
  return (doc.contents as Node | null)?.range?.[0] ?? 0;
}
