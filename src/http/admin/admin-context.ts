import type { AppDeps } from '../../app.js';
import { staticSecrets } from '../../config/static-secrets.js';
import { SecretHistory } from '../../secrets/secret-history.js';

/** What every admin route group gets: the app's dependencies and the secrets to mask. */
export interface AdminContext {
  deps: AppDeps;
  /**
   * Static secrets and those of every rules seen in force, read per request as a reload changes
   * them: stored errors may still hold an earlier rules' values. The same array until it changes.
   */
  secrets(): string[];
}

export function adminContext(deps: AppDeps): AdminContext {
  // The relay's own history sees every reload, even several between two admin requests.
  if (deps.secrets) return { deps, secrets: deps.secrets };
  const fixed = staticSecrets(deps.settings);
  const history = new SecretHistory();
  let last: readonly string[] | null = null;
  return {
    deps,
    secrets: () => {
      const current = deps.destinations().rules.secrets;
      if (current !== last) {
        history.add([...fixed, ...current]);
        last = current;
      }
      return history.list();
    },
  };
}
