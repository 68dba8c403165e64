import type { RegisteredClient } from './registered-clients.js';
import type { BqeSimConfig } from './sim-config.js';
import type { TokenStore } from './token-store.js';

/** What the identity server's rules need; shared by authorize, token grants and the API guard. */
export interface IdentityContext {
  clients: ReadonlyMap<string, RegisteredClient>;
  tokens: TokenStore;
  config(): BqeSimConfig;
  now(): number;
  /** The simulated BQE user who signs in and consents. */
  user: { subject: string; name: string; email: string };
}

/** Scopes BQE knows (contract §2). */
export const KNOWN_SCOPES: readonly string[] = ['read:core', 'readwrite:core', 'offline_access', 'openid', 'profile', 'email', 'address'];

/** "read:core  openid" → ["read:core", "openid"]. */
export const splitScopes = (raw: string): string[] => raw.split(' ').filter((s) => s !== '');
