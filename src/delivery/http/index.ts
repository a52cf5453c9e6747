import type { DestinationKind } from '../destination.js';
import { checkHttp } from './check-http.js';
import { HttpDestination } from './http-destination.js';

/** `http:` destinations: see http-options.ts for what admins write. */
export const httpKind: DestinationKind = {
  kind: 'http',
  check: checkHttp,
  create: (spec, deps) => new HttpDestination(spec, deps),
};
