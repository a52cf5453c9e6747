import type { YamlPath } from './rules-parse.js';

export interface VarProblem {
  path: YamlPath;
  /** Where in the string value the reference starts, to point at it precisely. */
  reference: string;
  message: string;
}

export interface VarSubstResult {
  data: unknown;
  /** Every value substituted, so logs and API answers can mask them. */
  secrets: string[];
  problems: VarProblem[];
}

// `$${` is a literal `${`; `${NAME}` a variable; any other `${` is a mistake worth reporting.
const REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{[^}]*\}?/g;

/**
 * Replaces `${VAR}` in every string value (not in keys) from `env`. It runs on the parsed data,
 * not the text, so the file's line and column numbers stay those the admin sees in the editor.
 */
export function substituteVars(data: unknown, env: Record<string, string | undefined>): VarSubstResult {
  const secrets = new Set<string>();
  const problems: VarProblem[] = [];

  const subst = (s: string, path: YamlPath): string =>
    s.replace(REF, (ref: string, name: string | undefined) => {
      if (ref === '$${') return '${';
      if (name === undefined) {
        problems.push({ path, reference: ref, message: `"${ref}" is not a variable reference: write \${NAME} (or $\${ for a literal \${)` });
        return ref;
      }
      const value = env[name];
      if (value === undefined) {
        problems.push({ path, reference: ref, message: `environment variable ${name} is not set` });
        return '';
      }
      if (value !== '') secrets.add(value);
      return value;
    });

  const walk = (v: unknown, path: YamlPath): unknown => {
    if (typeof v === 'string') return v.includes('$') ? subst(v, path) : v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v !== null && typeof v === 'object') {
      // fromEntries defines own properties: a `__proto__` key stays a key, never a prototype.
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    }
    return v;
  };

  return { data: walk(data, []), secrets: [...secrets], problems };
}
