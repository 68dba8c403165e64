import { ManualClock } from '../../../src/platform/clock.js';
import { createBqeSimulator, type BqeSimulatorOptions } from '../../../src/simulators/bqe/bqe-simulator.js';
import { s256 } from '../../../src/simulators/bqe/pkce.js';

/** A simulator on a manual clock, with helpers that speak its HTTP surface in process. */
export const START = Date.UTC(2026, 0, 14, 10);
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-switchyard';
export const BASE = 'http://localhost';

export const bqeFixture = (options: BqeSimulatorOptions = {}) => {
  const clock = new ManualClock(START);
  const sim = createBqeSimulator({ clock: () => clock.now(), ...options });
  const client = sim.defaultClient;
  const redirectUri = client.redirectUris[0] as string;

  const authorize = (overrides: Record<string, string | null> = {}) => {
    const params = new URLSearchParams();
    const base: Record<string, string | null> = {
      client_id: client.clientId,
      response_type: 'code',
      scope: 'read:core offline_access',
      redirect_uri: redirectUri,
      state: 'state-123',
      code_challenge: s256(VERIFIER),
      code_challenge_method: 'S256',
      ...overrides,
    };
    for (const [k, v] of Object.entries(base)) if (v !== null) params.set(k, v);
    return sim.app.request(`/idp/connect/authorize?${params}`);
  };

  /** The callback parameters authorize redirected with. */
  const callback = async (overrides: Record<string, string | null> = {}) => {
    const res = await authorize(overrides);
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
    return new URL(location).searchParams;
  };

  const token = (form: Record<string, string>, contentType = 'application/x-www-form-urlencoded') =>
    sim.app.request('/idp/connect/token', { method: 'POST', headers: { 'Content-Type': contentType }, body: new URLSearchParams(form).toString() });

  const credentials = { client_id: client.clientId, client_secret: client.clientSecret };

  const exchange = async (code: string, extra: Record<string, string> = { code_verifier: VERIFIER }) =>
    token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, ...credentials, ...extra });

  /** The whole browser flow: authorize with PKCE, then trade the code. */
  const signIn = async (scope = 'read:core offline_access') => {
    const code = (await callback({ scope })).get('code') as string;
    const res = await exchange(code);
    if (res.status !== 200) throw new Error(`token answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { access_token: string; refresh_token?: string; endpoint: string; scope: string; expires_in: number; id_token?: string };
  };

  const apiPath = `/t/${client.tenant}/api`;
  const accessToken = () => sim.issueTokens({ baseUrl: BASE }).access_token;

  /** A GET on the tenant API; the query string is passed as written, so tests control its exact bytes. */
  const api = (pathAndQuery: string, headers: Record<string, string | undefined> = {}) => {
    const sent: Record<string, string> = {};
    const authorization = 'Authorization' in headers ? headers.Authorization : `Bearer ${accessTokenCache()}`;
    for (const [k, v] of Object.entries({ 'X-UTC-OFFSET': '0', Accept: 'application/json', ...headers, Authorization: authorization })) if (v !== undefined) sent[k] = v;
    return sim.app.request(`${apiPath}${pathAndQuery}`, { headers: sent });
  };
  let cached: string | undefined;
  const accessTokenCache = () => (cached ??= accessToken());

  const list = async (pathAndQuery: string, headers: Record<string, string | undefined> = {}) => {
    const res = await api(pathAndQuery, headers);
    const body = (await res.json()) as Record<string, unknown>[] & { message?: string };
    return { status: res.status, body, headers: res.headers };
  };

  return { sim, clock, client, redirectUri, authorize, callback, token, credentials, exchange, signIn, apiPath, api, list };
};

/** encodeURIComponent for a where clause or other query value. */
export const q = (value: string): string => encodeURIComponent(value);
