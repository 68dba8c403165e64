import { randomBytes } from 'node:crypto';
import { signJwt } from './signed-jwt.js';

/**
 * Authorization codes, access tokens and refresh tokens the identity server
 * has handed out, with their grant (client, tenant, scopes). Lifetimes follow
 * the injected clock. The store keeps state only; oauth rules live in token-grants.ts.
 */
export interface Grant {
  clientId: string;
  tenant: string;
  scopes: string[];
  /** The simulated BQE user who consented. */
  subject: string;
}

export interface CodeEntry extends Grant {
  redirectUri: string;
  codeChallenge: string | null;
  nonce: string | null;
  expiresAt: number;
  used: boolean;
}

export interface AccessEntry extends Grant {
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshEntry extends Grant {
  active: boolean;
}

export const newCounters = () => ({ codesIssued: 0, tokensIssued: 0, tokensRefreshed: 0, tokenRequestsRefused: 0, revocations: 0 });

export class TokenStore {
  #codes = new Map<string, CodeEntry>();
  #access = new Map<string, AccessEntry>();
  #refresh = new Map<string, RefreshEntry>();
  /** Signs access tokens; unique per simulator so tokens from another instance are unknown here. */
  #key = randomBytes(32).toString('hex');
  counters = newCounters();

  constructor(private readonly now: () => number) {}

  issueCode(entry: Omit<CodeEntry, 'used' | 'expiresAt'>, lifetimeMs: number): string {
    const code = randomBytes(32).toString('hex').toUpperCase();
    this.#codes.set(code, { ...entry, expiresAt: this.now() + lifetimeMs, used: false });
    this.counters.codesIssued++;
    return code;
  }

  code(code: string): CodeEntry | undefined {
    return this.#codes.get(code);
  }

  issueAccess(grant: Grant, issuer: string, lifetimeMs: number): string {
    const issuedAt = this.now();
    const token = signJwt(
      {
        iss: issuer,
        aud: 'CoreAPI',
        client_id: grant.clientId,
        sub: grant.subject,
        scope: grant.scopes,
        iat: Math.floor(issuedAt / 1_000),
        exp: Math.floor((issuedAt + lifetimeMs) / 1_000),
        jti: randomBytes(16).toString('hex'),
      },
      this.#key,
      'at+jwt',
    );
    this.#access.set(token, { ...grant, expiresAt: issuedAt + lifetimeMs, revoked: false });
    return token;
  }

  issueRefresh(grant: Grant): string {
    const token = randomBytes(32).toString('hex').toUpperCase();
    this.#refresh.set(token, { ...grant, active: true });
    return token;
  }

  access(token: string): AccessEntry | undefined {
    return this.#access.get(token);
  }

  refresh(token: string): RefreshEntry | undefined {
    return this.#refresh.get(token);
  }

  /** Revokes a token of this client (RFC 7009: an unknown token is not an error). */
  revoke(token: string, clientId: string): void {
    const access = this.#access.get(token);
    if (access?.clientId === clientId) access.revoked = true;
    const refresh = this.#refresh.get(token);
    if (refresh?.clientId === clientId) refresh.active = false;
    this.counters.revocations++;
  }

  /** Every access token expires now; returns how many were still valid. */
  expireAllAccess(): number {
    const now = this.now();
    let expired = 0;
    for (const entry of this.#access.values()) {
      if (!entry.revoked && entry.expiresAt > now) expired++;
      entry.expiresAt = Math.min(entry.expiresAt, now);
    }
    return expired;
  }

  /** Every refresh token stops working; returns how many were active. */
  revokeAllRefresh(): number {
    let revoked = 0;
    for (const entry of this.#refresh.values()) {
      if (entry.active) revoked++;
      entry.active = false;
    }
    return revoked;
  }

  stats(): { activeAccessTokens: number; activeRefreshTokens: number; outstandingCodes: number } {
    const now = this.now();
    return {
      activeAccessTokens: [...this.#access.values()].filter((e) => !e.revoked && e.expiresAt > now).length,
      activeRefreshTokens: [...this.#refresh.values()].filter((e) => e.active).length,
      outstandingCodes: [...this.#codes.values()].filter((e) => !e.used && e.expiresAt > now).length,
    };
  }

  resetCounters(): void {
    this.counters = newCounters();
  }
}
