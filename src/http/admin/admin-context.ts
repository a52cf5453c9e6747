import type { AppDeps } from '../../app.js';
import { staticSecrets } from '../../config/static-secrets.js';

/** What every admin route group gets: the app's dependencies and the secrets to mask. */
export interface AdminContext {
  deps: AppDeps;
  /** Static secrets and those of the rules in force: read per request, as a reload changes them. */
  secrets(): string[];
}

export function adminContext(deps: AppDeps): AdminContext {
  const fixed = staticSecrets(deps.settings);
  return { deps, secrets: () => [...fixed, ...deps.destinations().rules.secrets] };
}
