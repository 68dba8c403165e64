import { parseArgs } from 'node:util';
import { serveWhenRunDirectly } from '../sim-kit.js';
import { DEFAULT_CLIENTS, DEFAULT_PROJECTS, startBqeSimulator, type RunningBqeSimulator } from './bqe-simulator.js';

/**
 * `node dist/simulators/bqe/cli.js [--projects <n>] [--clients <n>] [--seed <n>]`:
 * serves the simulator for local runs, the smoke check and the demo.
 * Settings come from BQE_SIM_* variables.
 */
export interface CliHandle {
  running: RunningBqeSimulator;
  stop(): Promise<void>;
}

const DEFAULT_PORT = 4030;

const wholeNumber = (raw: string | undefined, name: string, fallback: number): number => {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number of at least 0, not "${raw}"`);
  return Number(raw);
};

const flag = (raw: string | undefined): boolean | undefined => (raw === undefined || raw === '' ? undefined : /^(1|true|yes|on)$/i.test(raw));

export const runCli = async (argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<CliHandle> => {
  const { values } = parseArgs({ args: argv, options: { projects: { type: 'string' }, clients: { type: 'string' }, seed: { type: 'string' } } });
  const redirectUris = env.BQE_SIM_REDIRECT_URIS?.split(',').map((u) => u.trim()).filter((u) => u !== '');
  const running = await startBqeSimulator({
    port: wholeNumber(env.BQE_SIM_PORT, 'BQE_SIM_PORT', DEFAULT_PORT),
    host: env.BQE_SIM_HOST || '127.0.0.1',
    projects: wholeNumber(values.projects ?? env.BQE_SIM_PROJECTS, '--projects', DEFAULT_PROJECTS),
    clients: wholeNumber(values.clients ?? env.BQE_SIM_CLIENTS, '--clients', DEFAULT_CLIENTS),
    seed: wholeNumber(values.seed ?? env.BQE_SIM_SEED, '--seed', 1),
    clientId: env.BQE_SIM_CLIENT_ID || undefined,
    clientSecret: env.BQE_SIM_CLIENT_SECRET || undefined,
    tenant: env.BQE_SIM_TENANT || undefined,
    redirectUris: redirectUris && redirectUris.length > 0 ? redirectUris : undefined,
    acceptAnyRedirect: flag(env.BQE_SIM_ACCEPT_ANY_REDIRECT),
    rateLimitPerMinute: env.BQE_SIM_RATE_LIMIT ? wholeNumber(env.BQE_SIM_RATE_LIMIT, 'BQE_SIM_RATE_LIMIT', 0) : undefined,
    publicUrl: env.BQE_SIM_PUBLIC_URL || undefined,
  });
  const { sim } = running;
  const config = sim.config();
  const client = sim.defaultClient;
  print(`bqe simulator: identity ${running.identityUrl}, API ${running.apiBase}/ (state: ${running.url}/__sim/state)`);
  print(`bqe simulator: client id ${client.clientId}, client secret ${client.clientSecret}`);
  print(`bqe simulator: redirect URIs ${config.acceptAnyRedirect ? 'any http(s) URI (BQE_SIM_ACCEPT_ANY_REDIRECT)' : client.redirectUris.join(', ')}`);
  print(
    `bqe simulator: ${sim.data.projects.size} projects, ${sim.data.clients.size} clients, ` +
      `${config.rateLimitPerMinute > 0 ? `${config.rateLimitPerMinute} requests/minute` : 'no rate cap'}, X-UTC-OFFSET ${config.strictUtcOffset ? 'required' : 'optional'}`,
  );
  return { running, stop: () => running.close() };
};

await serveWhenRunDirectly(import.meta.url, 'bqe simulator', runCli);
