import type { DestinationKind } from '../destination.js';
import { mirrorCheck } from './mirror-check.js';
import { MirrorDestination } from './mirror-destination.js';
import { parseMirrorOptions } from './mirror-options.js';
import { openMirrorStore } from './open-mirror-store.js';

/** `mirror:` destinations: see mirror-options.ts for what admins write. */
export const mirrorKind: DestinationKind = {
  kind: 'mirror',
  check: mirrorCheck,
  create: (spec, deps) => new MirrorDestination(spec, deps),
  async probe(spec, deps) {
    const { options, problems } = parseMirrorOptions(spec.options);
    if (!options) return problems.map((p) => ({ message: p.message }));
    const store = openMirrorStore(options, deps);
    try {
      await store.probe();
      return [];
    } catch (err) {
      return [{ message: `cannot write to ${options.target.display}: ${(err as Error).message}` }];
    } finally {
      store.close();
    }
  },
};
