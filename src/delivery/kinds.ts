import type { DestinationKind } from './destination.js';
import { emailKind } from './email/index.js';
import { httpKind } from './http/index.js';
import { logKind } from './log/index.js';
import { mirrorKind } from './mirror/index.js';
import { slackKind } from './slack/index.js';

/** Every destination kind the relay knows, by the key that names it in the rules file. */
export const destinationKinds: ReadonlyMap<string, DestinationKind> = new Map(
  [logKind, httpKind, slackKind, emailKind, mirrorKind].map((k) => [k.kind, k]),
);
