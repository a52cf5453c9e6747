import type { DestinationKind } from './destination.js';
import { httpKind } from './http/index.js';
import { logKind } from './log/index.js';

/** Every destination kind the relay knows, by the key that names it in the rules file. */
export const destinationKinds: ReadonlyMap<string, DestinationKind> = new Map([
  [logKind.kind, logKind],
  [httpKind.kind, httpKind],
]);
