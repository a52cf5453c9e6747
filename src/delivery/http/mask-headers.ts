/** Header names whose values are credentials (Authorization, X-Api-Key, Cookie, ...). */
const SENSITIVE = /auth|token|secret|key|cookie|password|session|signature/i;

/**
 * Headers as `enx-relay route` and the admin API show them: credentials masked, keeping an
 * auth scheme ("Bearer [redacted]") so an admin can still see what kind of credential goes out.
 * `idempotency-key` is the delivery id, not a secret.
 */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'idempotency-key' || !SENSITIVE.test(name)) out[name] = value;
    else {
      const scheme = /^(Bearer|Basic|Token|Digest)\s+/i.exec(value);
      out[name] = scheme ? `${scheme[1]} [redacted]` : '[redacted]';
    }
  }
  return out;
}
