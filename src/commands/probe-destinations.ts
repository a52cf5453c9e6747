import type { Rules } from '../config/rules-types.js';
import type { DestinationDeps, DestinationKind } from '../delivery/destination.js';

/**
 * `enx-relay check --probe`: each destination whose kind can probe itself (a mirror writes and
 * removes a small object) does so, online, with the credentials it would use. One line each;
 * the number of destinations that failed.
 */
export async function probeDestinations(rules: Rules, kinds: ReadonlyMap<string, DestinationKind>, deps: DestinationDeps, print: (line: string) => void): Promise<number> {
  let failed = 0;
  for (const spec of rules.destinations.values()) {
    const kind = kinds.get(spec.kind);
    if (!kind?.probe) continue;
    const problems = await kind.probe(spec, deps).catch((err: unknown) => [{ message: (err as Error).message }]);
    if (problems.length > 0) failed++;
    print(problems.length === 0 ? `probe ${spec.name}: OK` : `probe ${spec.name}: FAILED: ${problems.map((p) => p.message).join('; ')}`);
  }
  return failed;
}
