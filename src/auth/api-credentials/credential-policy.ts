/** The figures API authentication runs on, in one place; tests pass a changed copy. */
export interface ApiAuthPolicy {
  /** A signed request's X-Timestamp may differ from the server's clock by at most this many seconds. */
  timestampWindowSeconds: number;
  /** After a rotation the previous secret keeps working this long, unless it is retired sooner. */
  rotationOverlapMs: number;
  /** A retired or expired secret is kept (sealed or hashed) this long, only to answer auth_secret_retired instead of a bare failure. */
  retiredSecretKeepMs: number;
  /** last_used_at is written at most this often per credential and address. */
  lastUsedIntervalMs: number;
  defaultRateLimitPerMinute: number;
  maxRateLimitPerMinute: number;
  maxAllowedIps: number;
}

export const API_AUTH_POLICY: ApiAuthPolicy = {
  timestampWindowSeconds: 60,
  rotationOverlapMs: 24 * 3_600_000,
  retiredSecretKeepMs: 24 * 3_600_000,
  lastUsedIntervalMs: 5_000,
  defaultRateLimitPerMinute: 120,
  maxRateLimitPerMinute: 6_000,
  maxAllowedIps: 100,
};
