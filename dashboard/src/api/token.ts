// The admin token lives for the browser tab only: sessionStorage, never a cookie, a URL or a log.
const KEY = 'enx-relay.admin-token';

export const readToken = (): string | null => sessionStorage.getItem(KEY);
export const saveToken = (token: string): void => sessionStorage.setItem(KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(KEY);
