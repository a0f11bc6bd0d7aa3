const key = 'breakwater.token';

/**
 * The token for this tab, in sessionStorage: it survives a reload but not
 * the tab, and other tabs or sites never see it. Storage can be unavailable
 * (privacy modes): the dashboard then works until the page is reloaded.
 */
export const tokenStorage = {
  read(): string | undefined {
    try {
      return sessionStorage.getItem(key) ?? undefined;
    } catch {
      return undefined;
    }
  },
  write(token: string): void {
    try {
      sessionStorage.setItem(key, token);
    } catch {
      // Not kept across a reload; nothing else depends on it.
    }
  },
  clear(): void {
    try {
      sessionStorage.removeItem(key);
    } catch {
      // Nothing was kept.
    }
  },
};
