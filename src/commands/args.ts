import { parseArgs } from 'node:util';
import { didYouMean } from '../config/rules-suggest.js';
import { UsageError } from './command-errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export interface ArgSpec<O extends Record<string, OptionSpec>> {
  options: O;
  /** How many positional arguments the command takes at most (0 by default), and what they are. */
  positionals?: { max: number; what: string };
}

type Values<O extends Record<string, OptionSpec>> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

/**
 * The command's arguments, strictly: an unknown option (with a "did you mean"), a missing or
 * unexpected value and an extra argument are UsageErrors, never silently ignored.
 */
export function parseCommandArgs<O extends Record<string, OptionSpec>>(args: string[], spec: ArgSpec<O>): { values: Values<O>; positionals: string[] } {
  const { tokens } = parseArgs({ args, options: spec.options, strict: false, allowPositionals: true, tokens: true });
  const names = new Set(Object.keys(spec.options).map((n) => `--${n}`));
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const def = spec.options[t.name];
    if (!def) throw new UsageError(`unknown option ${t.rawName}${didYouMean(t.rawName, names)}`);
    if (def.type === 'boolean') {
      if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value`);
      values[t.name] = true;
      continue;
    }
    // `--limit --json`: the next option is no value for --limit.
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--'))) throw new UsageError(`${t.rawName} needs a value`);
    values[t.name] = t.value;
  }
  const max = spec.positionals?.max ?? 0;
  if (positionals.length > max) {
    const extra = positionals.slice(max).map((p) => `"${p}"`).join(', ');
    throw new UsageError(max === 0 ? `unexpected argument ${extra}: this command takes options only` : `unexpected argument ${extra}: this command takes at most ${max} (${spec.positionals?.what})`);
  }
  return { values: values as Values<O>, positionals };
}

/** `--limit 20`: a whole number in range, or a UsageError saying which. */
export function intOption(flag: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${v}"`);
  return Number(v);
}
