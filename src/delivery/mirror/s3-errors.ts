import { TargetError } from './mirror-store.js';

/** Refusals of these credentials: an admin must fix them (then replay). */
const AUTH = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired', 'AllAccessDisabled', 'CredentialsProviderError', 'InvalidClientTokenId']);
/** A target that cannot work as configured (bucket, region, endpoint). */
const CONFIG = new Set(['NoSuchBucket', 'InvalidBucketName', 'PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException', 'EntityTooLarge', 'InvalidRequest', 'MethodNotAllowed', 'NotImplemented']);

/** An SDK error as a target failure: who must act, and a line that says what happened. */
export function classifyS3Error(err: unknown): TargetError {
  if (err instanceof TargetError) return err;
  const e = (err ?? {}) as { name?: string; message?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.Code ?? e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const text = `S3 ${name}${status ? ` (HTTP ${status})` : ''}: ${String(e.message ?? '').split('\n')[0]!.slice(0, 300)}`;
  if (AUTH.has(name) || status === 403) return new TargetError('target_auth', text);
  // The SDK's own configuration errors: no region, no endpoint it can resolve.
  if (CONFIG.has(name) || /region is missing|invalid region|could not resolve endpoint/i.test(e.message ?? '')) return new TargetError('target_config', text);
  return new TargetError('target', text);
}
