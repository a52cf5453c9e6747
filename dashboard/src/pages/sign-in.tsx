import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { saveToken } from '../api/token.js';

/**
 * The admin token, entered once and kept for this tab (sessionStorage). It is checked against the
 * relay before it is kept, so a wrong token says so here.
 */
export function SignIn({ onSignedIn, notice }: { onSignedIn: () => void; notice: string | null }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const t = token.trim();
    if (!t) return setError('Enter the admin token (RELAY_ADMIN_TOKEN).');
    setBusy(true);
    setError(null);
    try {
      await api('GET', '/health', { token: t });
      saveToken(t);
      setToken('');
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That token was refused: it is not the relay’s admin token (RELAY_ADMIN_TOKEN).' : err instanceof ApiError ? err.message : String(err));
      input.current?.select();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>enx-relay</h1>
      <form onSubmit={submit} aria-describedby="token-help">
        {notice ? (
          <p class="note note-error" role="alert">
            {notice}
          </p>
        ) : null}
        <label for="token">Admin token</label>
        <input id="token" ref={input} type="password" autocomplete="current-password" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} aria-invalid={error ? 'true' : undefined} aria-describedby="token-error" />
        <p id="token-help" class="muted">
          The relay’s RELAY_ADMIN_TOKEN. It is kept for this browser tab only and sent only in the Authorization header.
        </p>
        <p id="token-error" class="field-error" role="alert">
          {error}
        </p>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
