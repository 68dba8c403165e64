import { pathToFileURL } from 'node:url';
import { startJiraSimulator } from './jira-simulator.js';

/**
 * Runs the Jira simulator for demos and manual testing:
 * `node dist/simulators/jira/cli.js` (or via tsx from src). Env: JIRA_SIM_PORT
 * (default 4010), JIRA_SIM_EMAIL, JIRA_SIM_TOKEN.
 */
const main = async (): Promise<void> => {
  const port = Number(process.env.JIRA_SIM_PORT ?? '4010');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`jira-sim: JIRA_SIM_PORT must be a port number, not '${process.env.JIRA_SIM_PORT}'`);
    process.exit(1);
  }
  const running = await startJiraSimulator({ port, email: process.env.JIRA_SIM_EMAIL || undefined, apiToken: process.env.JIRA_SIM_TOKEN || undefined });
  const { email, apiToken } = running.sim.credentials;
  console.log(`jira-sim: listening on ${running.url} (email ${email}, API token ${apiToken})`);
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`jira-sim: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
