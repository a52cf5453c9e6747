import { loadRules } from '../config/rules.js';
import { destinationKinds } from '../delivery/kinds.js';
import { exampleEvents } from '../ingest/examples.js';
import { parseCommandArgs } from './args.js';
import { casesPassed, printCaseReport, runCaseFile } from './case-report.js';
import { UsageError } from './command-errors.js';
import { EXIT } from './exit-codes.js';

export const usage = `Usage: enx-relay test <cases.yaml> [--rules FILE] [--json]

Routing test cases, as admins run them in their own CI before a rules change goes live: each
case's event goes through the rules (nothing is sent), and the destinations (and routes) it
reaches must be the ones the case names. Exit 0 when every case passed, 1 when one failed or a
file was refused. See config/routes.test.example.yaml for the format.

Options:
  --rules FILE   the rules to test (default RELAY_RULES, else config/rules.example.yaml)
  --json         the report as JSON`;

/** `enx-relay test cases.yaml [--rules FILE]`: routing test cases. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { options: { rules: { type: 'string' }, json: { type: 'boolean' } }, positionals: { max: 1, what: 'one test cases file' } });
  if (positionals.length === 0) throw new UsageError('name the test cases file');
  const rulesFile = values.rules ?? process.env['RELAY_RULES'] ?? 'config/rules.example.yaml';
  const loaded = await loadRules(rulesFile, { env: process.env, kinds: destinationKinds, examples: exampleEvents() });
  if (!loaded.ok) {
    for (const e of loaded.errors) console.error(`${e.path ?? rulesFile}: ${e.message}`);
    console.error(`\n${rulesFile}: the rules were NOT accepted; no case was run`);
    return EXIT.failed;
  }
  const report = await runCaseFile(positionals[0]!, loaded.rules);
  if (values.json) console.log(JSON.stringify({ rules: rulesFile, ...report }, null, 2));
  else printCaseReport(report, (l) => console.log(l), (l) => console.error(l));
  return casesPassed(report) ? EXIT.ok : EXIT.failed;
}
