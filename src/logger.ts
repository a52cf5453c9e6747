import { pino, type Logger as PinoLogger } from 'pino';
import { escapeControlInJson } from './logging/control-chars.js';
import { prettyPrinter, resolveLogFormat, type LogFormat } from './logging/log-format.js';
import { maskDeep } from './secrets/mask-deep.js';
import { secretMask } from './secrets/mask.js';

export type Logger = PinoLogger;

const NO_SECRETS: readonly string[] = Object.freeze([]);

/**
 * The relay's logger. `secrets` are values that must never appear in a line (Basic credentials,
 * tokens, values substituted from `${VAR}`, literal credentials of the rules): it is read per line,
 * and should return the same array until the secrets change (the mask is built once per array).
 *
 * Masking happens on values before they are serialized (message, merged object, child bindings,
 * Errors with their causes), so JSON escaping cannot hide a secret and a secret such as `true`
 * cannot corrupt a line. Values under credential-like keys (Authorization, password, token, ...)
 * are masked at any depth, whatever their case.
 *
 * `format`: JSON lines (every character that could break a line or drive a terminal escaped), or
 * readable lines (pino-pretty); by default readable on a terminal and JSON anywhere else.
 */
export function createLogger(opts: { level: string; secrets?: () => readonly string[]; destination?: NodeJS.WritableStream; format?: LogFormat | null }): Logger {
  const current = () => secretMask(opts.secrets?.() ?? NO_SECRETS);
  const stream = opts.destination ?? process.stdout;
  const pretty = resolveLogFormat(opts.format, stream) === 'pretty' ? prettyPrinter({ colorize: (stream as { isTTY?: boolean }).isTTY === true }) : null;
  const logger = pino(
    {
      level: opts.level,
      base: { service: 'enx-relay' },
      // pino hands this the final message: format arguments, prefixes and an Error's message included.
      serializers: {
        msg: (m: unknown) => (typeof m === 'string' ? current().text(m) : maskDeep(m, current())),
        // The log formatter already turned Errors into masked plain objects; pino's own err
        // serializer would take them for Errors again and lose their type.
        err: (e: unknown) => (e instanceof Error ? maskDeep(e, current()) : e),
      },
      formatters: {
        log: (obj) => maskDeep(obj, current()) as Record<string, unknown>,
        bindings: (bindings) => maskDeep(bindings, current()) as Record<string, unknown>,
      },
    },
    // A last pass over the finished line, only for secrets that JSON escapes (`"`, `\`, control
    // characters), in their escaped form: text that skipped the value pass, such as a child's
    // bindings made before the secret was known.
    {
      write: (line: string) => {
        const json = escapeControlInJson(current().jsonLine(line));
        stream.write(pretty ? pretty(json) : json);
      },
    },
  );
  // pino skips the bindings formatter for children: mask their bindings on the way in (once, with
  // the secrets known then). Children inherit this `child`, so grandchildren are masked too.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, maskDeep(bindings, current()) as typeof bindings, options);
  } as typeof child;
  return logger;
}
