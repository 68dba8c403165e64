import { z } from 'zod';
import { MAX_UTC_OFFSET, MIN_UTC_OFFSET } from './utc-offset.js';

/**
 * Everything a test or the demo may change while the simulator runs
 * (`POST /__sim/config`, `sim.setConfig`). Figures the contract marks
 * uncertain (rate cap, page sizes, token lifetime, rotation) live here.
 */
export const simConfigSchema = z
  .object({
    /** Requests per tenant+client in any 60 s; 0 turns the cap off. */
    rateLimitPerMinute: z.number().int().min(0).max(1_000_000),
    /** Require X-UTC-OFFSET on every API call. */
    strictUtcOffset: z.boolean(),
    /** The offset used when strict mode is off and the header is missing. */
    defaultUtcOffsetMinutes: z.number().int().min(MIN_UTC_OFFSET).max(MAX_UTC_OFFSET),
    /** A refresh returns a new refresh token and retires the one used. */
    rotateRefreshTokens: z.boolean(),
    /** Access-token lifetime, sent as `expires_in`. */
    expiresInSeconds: z.number().int().min(1).max(30 * 86_400),
    codeLifetimeSeconds: z.number().int().min(1).max(3_600),
    /** The simulated user refuses consent: authorize redirects with error=access_denied. */
    denyConsent: z.boolean(),
    /** Accept any absolute http(s) redirect_uri, for local demos on unregistered ports. */
    acceptAnyRedirect: z.boolean(),
    /** A refresh answer without `endpoint`, so clients must keep the previous API base. */
    omitEndpointOnRefresh: z.boolean(),
    /** The bug a client must detect: the page number is ignored and page 1 comes back every time. */
    pageRepeat: z.boolean(),
    /** Lists answer with an object instead of an array, or with a first record lacking `id`. */
    malformedResponse: z.enum(['none', 'object', 'missing_id']),
    /** Page size when `page` is left out (the unconfirmed "default 25"). */
    defaultPageSize: z.number().int().min(1).max(100_000),
    maxPageSize: z.number().int().min(1).max(100_000),
    /** How many recent requests /__sim/state keeps. */
    requestLogSize: z.number().int().min(0).max(100_000),
  })
  .strict();

export type BqeSimConfig = z.infer<typeof simConfigSchema>;

export const DEFAULT_CONFIG: Readonly<BqeSimConfig> = {
  rateLimitPerMinute: 100,
  strictUtcOffset: true,
  defaultUtcOffsetMinutes: -480,
  rotateRefreshTokens: true,
  expiresInSeconds: 3_600,
  codeLifetimeSeconds: 300,
  denyConsent: false,
  acceptAnyRedirect: false,
  omitEndpointOnRefresh: false,
  pageRepeat: false,
  malformedResponse: 'none',
  defaultPageSize: 25,
  maxPageSize: 1_000,
  requestLogSize: 200,
};

export const configPatchSchema = simConfigSchema.partial().strict();
export type BqeSimConfigPatch = z.input<typeof configPatchSchema>;
