import crypto from 'node:crypto';

/**
 * PKCE (RFC 7636) and the OAuth `state`. 32 random octets give a 43-character base64url verifier, the
 * length RFC 7636 §4.1 recommends and inside its 43–128 range; the state gets the same entropy.
 */
const RANDOM_OCTETS = 32;

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/** A code verifier: 43 characters of [A-Za-z0-9_-], all from the CSPRNG. */
export const createCodeVerifier = (): string => base64url(crypto.randomBytes(RANDOM_OCTETS));

/** The S256 code challenge: base64url(SHA-256(verifier)) without padding. */
export const codeChallengeS256 = (verifier: string): string => base64url(crypto.createHash('sha256').update(verifier, 'ascii').digest());

/** An unguessable `state` for one authorization round trip. */
export const createState = (): string => base64url(crypto.randomBytes(RANDOM_OCTETS));

/** What is stored for a state: its SHA-256 in hex, so a database reader cannot replay a callback. */
export const hashState = (state: string): string => crypto.createHash('sha256').update(state, 'utf8').digest('hex');

export interface NewAuthorization {
  state: string;
  stateHash: string;
  verifier: string;
  challenge: string;
}

/** Everything one Connect needs: the state (and its stored hash) and a fresh verifier with its challenge. */
export const newAuthorization = (): NewAuthorization => {
  const state = createState();
  const verifier = createCodeVerifier();
  return { state, stateHash: hashState(state), verifier, challenge: codeChallengeS256(verifier) };
};
