import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/**
 * The relay's logger. `secrets` are values that must never appear in a line (Basic credentials,
 * tokens, values substituted from `${VAR}`): they are masked in every message and field.
 */
export function createLogger(opts: { level: string; secrets?: () => string[]; destination?: NodeJS.WritableStream }): Logger {
  const mask = (s: string): string => {
    let out = s;
    for (const secret of opts.secrets?.() ?? []) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
    return out;
  };
  const stream = opts.destination ?? process.stdout;
  return pino(
    { level: opts.level, base: { service: 'enx-relay' }, redact: { paths: ['*.authorization', '*.password', '*.token', '*.signing_secret'], censor: '[redacted]' } },
    { write: (line: string) => stream.write(mask(line)) },
  );
}
