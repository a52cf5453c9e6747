import { stringify } from 'yaml';

/**
 * One routing test case as the cases file writes it, for the dashboard's route tester to save:
 * the event inline and where it went, so a later rules change that reroutes it fails the case.
 */
export function caseYaml(c: { name: string; event: unknown; destinations: string[]; routes: string[] }): string {
  const doc = {
    cases: [
      {
        name: c.name,
        event: c.event,
        expect: { destinations: c.destinations.length ? c.destinations : 'none', routes: c.routes.length ? c.routes : 'none' },
      },
    ],
  };
  // Plain YAML 1.2 scalars only: a value that reads as another type is quoted by the library.
  return stringify(doc, { lineWidth: 0 });
}
