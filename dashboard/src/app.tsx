import { useEffect, useRef, useState } from 'preact/hooks';
import { whenTokenRefused } from './api/client.js';
import { forgetToken, readToken } from './api/token.js';
import { HealthStrip } from './components/health-strip.js';
import { matchPage, PAGES } from './pages.js';
import { SignIn } from './pages/sign-in.js';
import { hrefTo, useHashPath } from './router.js';

export function App() {
  const [signedIn, setSignedIn] = useState(() => readToken() !== null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(
    () =>
      whenTokenRefused(() => {
        setNotice('The relay refused the admin token (it may have changed). Sign in again.');
        setSignedIn(false);
      }),
    [],
  );
  if (!signedIn) return <SignIn notice={notice} onSignedIn={() => (setNotice(null), setSignedIn(true))} />;
  return (
    <Shell
      onSignOut={() => {
        forgetToken();
        setSignedIn(false);
      }}
    />
  );
}

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const path = useHashPath();
  const match = matchPage(path);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // A new page: focus its content, as a page load would, so keyboard and screen reader users start there.
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [path]);
  const section = match ? `/${match.page.path.split('/')[1]}` : '';
  const Page = match?.page.component;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">enx-relay</span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.filter((p) => p.nav).map((p) => (
              <li key={p.path}>
                <a href={hrefTo(p.path)} aria-current={section === p.path ? 'page' : undefined}>
                  {p.nav}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <HealthStrip />
      <main id="main" ref={main} tabIndex={-1}>
        {Page ? (
          <Page param={match.param} />
        ) : (
          <>
            <h1>Not found</h1>
            <p>
              There is no page at <code>{path}</code>. <a href={hrefTo('/events')}>Events</a>
            </p>
          </>
        )}
      </main>
    </>
  );
}
