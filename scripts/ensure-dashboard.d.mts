/** Builds the dashboard when it is missing or stale; true when it is up to date afterwards. */
export function ensureDashboard(options?: { quiet?: boolean }): boolean;
