import type { DestinationKind } from '../destination.js';
import { emailCheck } from './email-check.js';
import { EmailDestination } from './email-destination.js';
import { emailOptions } from './email-options.js';

export const emailKind: DestinationKind = {
  kind: 'email',
  check: emailCheck,
  create: (spec, deps) => new EmailDestination(spec.name, emailOptions(spec), deps),
};
