/** A mistake on the command line: the command prints it with a pointer to its --help and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command could not do what was asked (no such database, nothing matched): one message, exit 1. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
}
