import { parseArgs } from 'node:util';
import { serveWhenRunDirectly } from '../sim-kit.js';
import { DEFAULT_API_KEY, startPeopleForceSimulator, type RunningPeopleForceSimulator } from './peopleforce-simulator.js';
import { startTrickle } from './trickle.js';

/**
 * `node dist/simulators/peopleforce/cli.js [--trickle <seconds>]`: serves the
 * simulator for local runs and the demo. Settings come from PEOPLEFORCE_SIM_* variables.
 */
export interface CliHandle {
  running: RunningPeopleForceSimulator;
  stop(): Promise<void>;
}

const DEFAULT_PORT = 4020;

const numberSetting = (raw: string | undefined, name: string, fallback: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of at least 0, not "${raw}"`);
  return n;
};

export const runCli = async (argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<CliHandle> => {
  const { values } = parseArgs({ args: argv, options: { trickle: { type: 'string' } } });
  const port = numberSetting(env.PEOPLEFORCE_SIM_PORT, 'PEOPLEFORCE_SIM_PORT', DEFAULT_PORT);
  const trickleSeconds = numberSetting(values.trickle ?? env.PEOPLEFORCE_SIM_TRICKLE_SECONDS, '--trickle', 0);
  const apiKey = env.PEOPLEFORCE_SIM_API_KEY || DEFAULT_API_KEY;
  const webhookUrl = env.PEOPLEFORCE_SIM_WEBHOOK_URL;
  const webhookSecret = env.PEOPLEFORCE_SIM_WEBHOOK_SECRET || undefined;
  const running = await startPeopleForceSimulator({
    port,
    host: env.PEOPLEFORCE_SIM_HOST || '127.0.0.1',
    apiKey,
    webhook: webhookUrl ? { url: webhookUrl, secret: webhookSecret } : undefined,
  });
  const webhookNote = webhookUrl ? `, webhooks to ${webhookUrl}${webhookSecret ? ' (signed)' : ''}` : '';
  print(`peopleforce simulator: ${running.url}/api/public/v2 (and /v3), X-API-KEY ${apiKey}${webhookNote}`);
  const stopTrickle =
    trickleSeconds > 0
      ? startTrickle(running.sim, {
          everyMs: trickleSeconds * 1_000,
          onChange: (change) => print(`trickle: ${change}`),
          onError: (err) => print(`trickle: step failed: ${err instanceof Error ? err.message : String(err)}`),
        })
      : () => undefined;
  return {
    running,
    stop: async () => {
      stopTrickle();
      await running.close();
    },
  };
};

await serveWhenRunDirectly(import.meta.url, 'peopleforce simulator', runCli);
