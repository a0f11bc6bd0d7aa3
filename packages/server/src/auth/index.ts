export {
  AuthError,
  type AuthErrorCode,
  type AuthErrorReason,
  isAuthError,
} from './auth-error';
export {
  type AuthSettings,
  defaultSecretEnv,
  type Env,
  minSecretLength,
  type Principal,
  type Role,
} from './auth-settings';
export { AuthSetupError, isAuthSetupError } from './auth-setup-error';
export { type Authenticator, createAuthenticator } from './authenticator';
export {
  maxListedClients,
  maxTrackedClients,
  RefusalAudit,
  type RefusalAuditOptions,
  type RefusalSummary,
  type RefusedLimit,
} from './refusal-audit';
export {
  type Refusal,
  RequestLimits,
  type RequestLimitsOptions,
} from './request-limits';
export { signToken, type TokenRequest } from './sign-token';
export { defaultMaxTokenLifetime } from './token-lifetime';
