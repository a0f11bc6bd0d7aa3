import { dirname, resolve } from 'node:path';
import { type BreakwaterConfig, sectionNames } from './breakwater-config';
import { ConfigFileError } from './config-file-error';
import { Issues, type Locate } from './issues';
import { checkAlerts } from './schema/alerts';
import { checkAuth } from './schema/auth';
import { isSecretKey, unknownKeyExpectation } from './schema/fields';
import { checkServer } from './schema/server';
import { checkServices } from './schema/services';
import { checkStore } from './schema/store';

/**
 * Validates an already-parsed configuration (e.g. from `JSON.parse`) as
 * a whole and returns it resolved and frozen. `file` names it in errors and
 * anchors its relative paths. Throws a {@link ConfigFileError} listing every
 * problem; nothing partial is ever returned.
 */
export function validateConfig(value: unknown, file: string): BreakwaterConfig {
  return checkConfig(value, file);
}

/** {@link validateConfig}, with a way to find each path's line and column in the source text. */
export function checkConfig(value: unknown, file: string, locate?: Locate): BreakwaterConfig {
  const issues = new Issues(locate);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.add(
      [],
      value,
      `a mapping of sections (${sectionNames.join(', ')}) with at least services`,
    );
    throw new ConfigFileError(file, issues.list());
  }
  const root = value as Record<string, unknown>;
  for (const [key, section] of Object.entries(root)) {
    if (!(sectionNames as readonly string[]).includes(key)) {
      issues.add([key], section, unknownKeyExpectation(key, sectionNames), {
        secret: isSecretKey(key),
      });
    }
  }
  const absolute = resolve(file);
  const baseDir = dirname(absolute);
  const services = checkServices(root.services, issues);
  const store = checkStore(root.store, baseDir, issues);
  const server = checkServer(root.server, issues);
  const auth = checkAuth(root.auth, baseDir, issues);
  const alerts = checkAlerts(root.alerts, issues);
  if (
    issues.size > 0 ||
    services === undefined ||
    store === undefined ||
    server === undefined ||
    auth === undefined ||
    alerts === undefined
  ) {
    throw new ConfigFileError(file, issues.list());
  }
  return deepFreeze({ file: absolute, services, store, server, auth, alerts });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
