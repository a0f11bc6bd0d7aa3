export { createHttpApi, type HttpApiOptions } from './create-http-api';
export type { CircuitBreakerStats, HealthReport } from './health-report';
export { type ErrorBody, HttpError, httpErrorCodes, isHttpError } from './http-error';
export { type AuthVariables, bearerToken, requireRole } from './require-role';
export { TrustedProxies } from './trusted-proxies';
