import { z } from 'zod';

/**
 * Apps registered with the simulated identity server. Each app's grants reach
 * one tenant, whose API base is `/t/<tenant>/api/` on the simulator.
 */
export const registeredClientSchema = z
  .object({
    clientId: z.string().min(1).max(200),
    clientSecret: z.string().min(1).max(500),
    /** Matched exactly, trailing slash included (contract §2). */
    redirectUris: z.array(z.url({ protocol: /^https?$/ })).min(1),
    tenant: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'A tenant is 1–64 letters, digits or dashes'),
  })
  .strict();

export type RegisteredClient = z.infer<typeof registeredClientSchema>;

/** 32 characters then `.apps.bqe.com`, the shape of real client ids. */
export const DEFAULT_CLIENT_ID = 'switchyardsimulatorbqecoreclient.apps.bqe.com';
export const DEFAULT_CLIENT_SECRET = 'switchyard-bqe-sim-secret';
export const DEFAULT_TENANT = 'switchyard-demo';
/** The hub's callback at its default address. */
export const DEFAULT_REDIRECT_URIS: readonly string[] = ['http://127.0.0.1:3000/admin/bqe/oauth/callback', 'http://localhost:3000/admin/bqe/oauth/callback'];

export const defaultClient = (overrides: Partial<RegisteredClient> = {}): RegisteredClient => ({
  clientId: overrides.clientId ?? DEFAULT_CLIENT_ID,
  clientSecret: overrides.clientSecret ?? DEFAULT_CLIENT_SECRET,
  redirectUris: overrides.redirectUris ?? [...DEFAULT_REDIRECT_URIS],
  tenant: overrides.tenant ?? DEFAULT_TENANT,
});

export const tenantApiPath = (tenant: string): string => `/t/${tenant}/api`;
