import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com).
 *
 * What an admin writes as `signing_secret`: exactly the string the receiver gives to its own
 * verifier (`new Webhook(secret)`), that is `whsec_` followed by the base64 of at least 24 random
 * bytes; the `whsec_` prefix is optional, as in the library. Generate one with
 *   echo "whsec_$(openssl rand -base64 32)"
 * A passphrase such as "hunter2" is refused at check time: the library would decode it as base64
 * into a different (or no) key, and the receiver could never verify.
 */
export const MIN_KEY_BYTES = 24;

/** Why a secret is unusable, or null when it is fine. Never echoes the secret. */
export function signingKeyProblem(secret: string): string | null {
  const b64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (b64 === '') return 'signing_secret is empty';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    return 'signing_secret must be "whsec_" followed by base64 (generate one with: echo "whsec_$(openssl rand -base64 32)")';
  }
  const bytes = Buffer.from(b64, 'base64').length;
  if (bytes < MIN_KEY_BYTES) return `signing_secret is ${bytes} bytes, at least ${MIN_KEY_BYTES} are needed (openssl rand -base64 32)`;
  try {
    new Webhook(secret);
  } catch {
    return 'signing_secret is not a usable Standard Webhooks secret';
  }
  return null;
}

export interface Signer {
  /** The `webhook-timestamp` and `webhook-signature` headers for one body. */
  sign(id: string, at: Date, body: Buffer): { 'webhook-timestamp': string; 'webhook-signature': string };
}

export function createSigner(secret: string): Signer {
  const wh = new Webhook(secret);
  return {
    sign: (id, at, body) => ({
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': wh.sign(id, at, body),
    }),
  };
}
