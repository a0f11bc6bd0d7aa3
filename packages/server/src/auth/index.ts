export { AuthError, type AuthErrorCode, AuthSetupError, isAuthError } from './auth-error';
export {
  type AuthSettings,
  defaultSecretEnv,
  type Env,
  minSecretLength,
  type Principal,
  type Role,
} from './auth-settings';
export { type Authenticator, createAuthenticator } from './authenticator';
export { signToken, type TokenRequest } from './sign-token';
