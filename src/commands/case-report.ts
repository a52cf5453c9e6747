import type { Rules } from '../config/rules-types.js';
import { loadCases } from '../routing/test-cases/load-cases.js';
import { runCases, type CaseResult } from '../routing/test-cases/run-cases.js';

export interface CaseReport {
  file: string;
  /** Problems of the file itself (it could not be read or is not a cases file). */
  errors: { path?: string; message: string }[];
  results: CaseResult[];
  passed: number;
  failed: number;
}

/** Loads and runs one cases file against the rules: `enx-relay test` and `check` (rules' `tests:`). */
export async function runCaseFile(file: string, rules: Rules): Promise<CaseReport> {
  const loaded = await loadCases(file);
  if (!loaded.ok) return { file, errors: loaded.errors, results: [], passed: 0, failed: 0 };
  const results = runCases(loaded.cases, rules);
  const passed = results.filter((r) => r.passed).length;
  return { file, errors: [], results, passed, failed: results.length - passed };
}

/** Each case passed or failed with what differed; the file's own errors as file:line:column. */
export function printCaseReport(r: CaseReport, out: (line: string) => void, err: (line: string) => void): void {
  for (const e of r.errors) err(`${e.path ?? r.file}: ${e.message}`);
  if (r.errors.length) return err(`\n${r.file}: ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}; no case was run`);
  for (const c of r.results) {
    out(`${c.passed ? 'PASS' : 'FAIL'}  ${c.name}${c.passed ? '' : `  (${c.where})`}`);
    for (const p of c.problems) out(`      ${p}`);
  }
  out(`\n${r.file}: ${r.results.length} case${r.results.length === 1 ? '' : 's'}, ${r.passed} passed, ${r.failed} failed`);
}

/** Whether the report is a success: every case ran and passed. */
export const casesPassed = (r: CaseReport): boolean => r.errors.length === 0 && r.failed === 0;
