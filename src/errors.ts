/**
 * Typed errors: one class per stable code. The HTTP layer maps `httpStatus` to the answer and
 * the worker reads `retryable`; messages never carry secrets.
 */
export type ErrorCode =
  | 'unauthorized'
  | 'payload_too_large'
  | 'unsupported_encoding'
  | 'invalid_json'
  | 'schema_invalid'
  | 'reserved_type'
  | 'store_unavailable'
  | 'not_found'
  | 'method_not_allowed'
  | 'bad_request'
  | 'rules_invalid'
  | 'config_invalid'
  | 'template_error';

export interface ErrorDetail {
  /** JSON path (`/recording/0`) or `file:line:column` for rules. */
  path?: string;
  message: string;
}

export class RelayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly httpStatus: number,
    readonly retryable = false,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** What an HTTP answer says; `message` may hold more, for the logs. */
  get publicMessage(): string {
    return this.message;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.publicMessage, details: this.details } };
  }
}

export class UnauthorizedError extends RelayError {
  constructor(message = 'valid Basic credentials are required') {
    super('unauthorized', message, 401);
  }
}

export class PayloadTooLargeError extends RelayError {
  constructor(limit: number) {
    super('payload_too_large', `body is larger than the limit of ${limit} bytes`, 413);
  }
}

/** A Content-Encoding the relay cannot decode (it decodes gzip, deflate and br). */
export class UnsupportedEncodingError extends RelayError {
  constructor(encoding: string) {
    super('unsupported_encoding', `Content-Encoding "${encoding}" is not supported; send identity, gzip, deflate or br`, 415);
  }
}

export class InvalidJsonError extends RelayError {
  constructor(reason: string) {
    super('invalid_json', `body is not valid JSON: ${reason}`, 400);
  }
}

/** `omitted`: problems found beyond those listed, said in the message and as a last detail. */
export class SchemaInvalidError extends RelayError {
  constructor(details: ErrorDetail[], type?: string, omitted = 0) {
    const what = type ? `"${type}" event` : 'event';
    const total = details.length + omitted;
    const listed = omitted > 0 ? `; the first ${details.length} are listed` : '';
    super('schema_invalid', `${what} does not match its schema (${total} error${total === 1 ? '' : 's'}${listed})`, 422, false, omitted > 0 ? [...details, { message: `and ${omitted} more` }] : details);
  }
}

/**
 * A body whose `type` is one of the relay's own (`relay.*`): only the relay creates those, so a
 * sender cannot forge a "recording mirrored" or drive the rules that route relay events. 422 like
 * any other body that is well-formed JSON but not an acceptable event; kept in the rejected log.
 */
export class ReservedTypeError extends RelayError {
  constructor(type: string) {
    super('reserved_type', `type "${type.slice(0, 100)}" is reserved for the relay's own events (relay.*): EnableX cannot send it`, 422, false, [
      { path: '/type', message: 'types starting with "relay." are created by enx-relay only' },
    ]);
  }
}

/**
 * The reason (a PostgreSQL host, user or database; a file path) goes to the logs only: answers
 * to anyone, the unauthenticated 503 included, say the plain sentence.
 */
export class StoreUnavailableError extends RelayError {
  static readonly PUBLIC = 'the event store is unavailable; try again later';

  constructor(readonly reason: string) {
    super('store_unavailable', `the event store is unavailable, try again: ${reason}`, 503, true);
  }

  override get publicMessage(): string {
    return StoreUnavailableError.PUBLIC;
  }
}

export class NotFoundError extends RelayError {
  constructor(what: string) {
    super('not_found', `${what} not found`, 404);
  }
}

/** A path that exists, asked with a method it does not take (`GET /webhooks/enablex`). */
export class MethodNotAllowedError extends RelayError {
  constructor(method: string, path: string, allowed: string) {
    super('method_not_allowed', `${method} is not allowed on ${path}${allowed ? `: use ${allowed}` : ''}`, 405);
  }
}

export class BadRequestError extends RelayError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('bad_request', message, 400, false, details);
  }
}

/**
 * A rules file that fails its checks; each detail's path is `file:line:column`. A refused reload
 * through the admin API answers 422: the request was fine, the file on disk is not.
 */
export class RulesInvalidError extends RelayError {
  constructor(file: string, details: ErrorDetail[], httpStatus = 400) {
    super('rules_invalid', `${file}: ${details.length} error${details.length === 1 ? '' : 's'}`, httpStatus, false, details);
  }
}

/** A bad setting: one line naming the variable. */
export class ConfigInvalidError extends RelayError {
  constructor(readonly variable: string, message: string) {
    super('config_invalid', `${variable}: ${message}`, 500);
  }
}

export class TemplateError extends RelayError {
  constructor(message: string) {
    super('template_error', message, 400);
  }
}
