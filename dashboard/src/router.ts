import { useEffect, useState } from 'preact/hooks';

/** The page's place lives in the hash (#/events/ID): no server route, and never the token. */
export function currentPath(): string {
  const path = decodeURIComponent(location.hash.replace(/^#/, ''));
  return path.startsWith('/') && path !== '/' ? path : '/events';
}

export function useHashPath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const onChange = (): void => setPath(currentPath());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

export const hrefTo = (path: string): string => `#${path.split('/').map(encodeURIComponent).join('/')}`;
export const navigate = (path: string): void => void (location.hash = hrefTo(path));
