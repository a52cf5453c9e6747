import { parseArgs } from 'node:util';
import { loadRules } from '../config/rules.js';
import { destinationKinds } from '../delivery/kinds.js';
import { exampleEvents } from '../ingest/examples.js';
import { casesPassed, printCaseReport, runCaseFile } from './case-report.js';

const USAGE = 'usage: enx-relay test <cases.yaml> [--rules rules.yaml] [--json]';

/**
 * `enx-relay test cases.yaml [--rules FILE]`: routing test cases, as admins run them in their own
 * CI before a rules change goes live. Exit 0 when every case passed, 1 when one failed or a file
 * is refused, 2 for a usage mistake.
 */
export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { rules: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (err) {
    console.error(`enx-relay test: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(`${USAGE}\n\nRuns each case's event through the rules (nothing is sent) and checks the destinations (and\nroutes) it reaches. See config/routes.test.example.yaml for the format.`);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`enx-relay test: ${positionals.length === 0 ? 'name the test cases file' : `one test cases file, not ${positionals.length}`}\n${USAGE}`);
    return 2;
  }
  const rulesFile = values.rules ?? process.env['RELAY_RULES'] ?? 'config/rules.example.yaml';
  const loaded = await loadRules(rulesFile, { env: process.env, kinds: destinationKinds, examples: exampleEvents() });
  if (!loaded.ok) {
    for (const e of loaded.errors) console.error(`${e.path ?? rulesFile}: ${e.message}`);
    console.error(`\n${rulesFile}: the rules were NOT accepted; no case was run`);
    return 1;
  }
  const report = await runCaseFile(positionals[0]!, loaded.rules);
  if (values.json) console.log(JSON.stringify({ rules: rulesFile, ...report }, null, 2));
  else printCaseReport(report, (l) => console.log(l), (l) => console.error(l));
  return casesPassed(report) ? 0 : 1;
}
