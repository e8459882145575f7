export { TokenError } from './errors';
export type { TokenErrorCode } from './errors';
export { encryptSecret, decryptSecret } from './secret-box';
export { generateSigningKey, generateSigningKeyPair, loadPrivateKey } from './signing-key';
export type {
  GeneratedSigningKey,
  GenerateSigningKeyOptions,
  SigningKey,
  SigningKeyPair,
} from './signing-key';
export { ACCESS_TOKEN_ALGS, buildJwks, parsePublicJwk } from './jwks';
export type {
  AccessTokenAlg,
  EcPublicJwk,
  Jwks,
  OkpPublicJwk,
  PublicJwk,
  RsaPublicJwk,
  SigningAlg,
} from './jwks';
export { signAccessToken } from './sign-access-token';
export { verifyAccessToken } from './verify-access-token';
export type { VerifyOptions } from './verify-access-token';
export type { AccessTokenClaims, AccessTokenInput } from './access-token-claims';
export { atHashOf, signIdToken, verifyIdTokenHint } from './id-token';
export type { IdTokenClaims, IdTokenHintClaims, IdTokenHintOptions } from './id-token';
export {
  generateOpaqueSecret,
  generateRefreshToken,
  hashRefreshToken,
  REFRESH_TOKEN_PATTERN,
} from './opaque-secret';
export type { OpaqueSecret } from './opaque-secret';
export { safeEqual, sha256Hex } from './hash';
export { deriveSubkey } from './subkey';
export { createPasswordHasher } from './password-hasher';
export type { PasswordHasher } from './password-hasher';
export { verifyForeignBcrypt } from './legacy-bcrypt';
