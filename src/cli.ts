#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { API_AUTH_POLICY } from './auth/api-credentials/credential-policy.js';
import { API_SCOPE_NAMES } from './auth/api-credentials/scopes.js';
import { StartupError } from './errors.js';
import { holdYoungGenerationGrowth } from './platform/young-generation.js';

const OVERLAP_HOURS = API_AUTH_POLICY.rotationOverlapMs / 3_600_000;

const HELP: Record<string, string> = {
  main: `Usage: switchyard [command] [options]

Commands:
  serve                 start the hub (the default)
  migrate               apply pending database migrations and exit
  user create           create a user
  new-plugin <name>     scaffold a plugin from the house pattern
  credentials <action>  create, list, rotate, retire or revoke API credentials

Run "switchyard <command> --help" for a command's options.
Configuration comes from environment variables; see the README's table.`,
  serve: `Usage: switchyard serve

Starts the web admin on HOST:PORT (127.0.0.1:3000 by default), with data in HUB_DATA_DIR (./data).
Stops cleanly on SIGTERM or SIGINT.`,
  migrate: `Usage: switchyard migrate [--status | --down]

Applies pending migrations to the database in HUB_DATA_DIR, in one transaction.
  --status   only report how many are applied and which are pending
  --down     roll back the latest applied migration (only those shipped with a down file)`,
  'user create': `Usage: switchyard user create --email <email> --name <name> [--role viewer|operator|admin]

Creates a user. The password is read from standard input (one line), or prompted for on a terminal.
  --email    sign-in email (required)
  --name     display name (required)
  --role     viewer (default), operator or admin`,
  credentials: `Usage: switchyard credentials create|list|rotate|retire|revoke [options]

Manages credentials for the REST API (/api/v1); see the API help topic.
  create --name <name> --type hmac|bearer --scopes <scope,...> [--ip <address or CIDR> ...] [--rate <per minute>]
  list                  every credential, without secrets
  rotate <client id>    issue a new secret; the previous one keeps working for ${OVERLAP_HOURS} hours
  retire <client id>    stop the previous secret now
  revoke <client id>    stop the credential for good`,
  'credentials create': `Usage: switchyard credentials create --name <name> --type hmac|bearer --scopes <scope,...> [--ip <address or CIDR> ...] [--rate <per minute>]

Creates an API credential and prints its client id and secret (HMAC) or token (Bearer) once; it cannot be shown again.
  --name     who or what uses it (required)
  --type     hmac (signed requests) or bearer (a token, accepted only from --ip addresses) (required)
  --scopes   comma-separated: ${API_SCOPE_NAMES.join(', ')} (required)
  --ip       an allowed address or CIDR block; repeat it or separate with commas (Bearer needs at least one; HMAC: any address when none)
  --rate     requests per minute allowed (default ${API_AUTH_POLICY.defaultRateLimitPerMinute})`,
  'credentials list': `Usage: switchyard credentials list

Prints every API credential: client id, name, type, status, scopes, allowed addresses, rate limit and last use. Never a secret.`,
  'credentials rotate': `Usage: switchyard credentials rotate <client id>

Issues a new secret (or token) and prints it once. The previous one keeps working for ${OVERLAP_HOURS} hours, or until you retire it.`,
  'credentials retire': `Usage: switchyard credentials retire <client id>

Stops the previous secret (or token) of a rotated credential now, once every client uses the new one.`,
  'credentials revoke': `Usage: switchyard credentials revoke <client id>

Stops the credential for good: every request with it is refused. It cannot be undone; create a new credential instead.`,
  'new-plugin': `Usage: switchyard new-plugin <name>

Creates src/plugins/<name>/ (plugin.ts, settings.ts, page-routes.ts), views/plugins/<name>/index.eta,
user_guides/plugins/<name>/<name>.md and test/plugins/<name>/plugin.test.ts.
The plugin appears in the menu on the next start. <name>: lower-case letters, digits and dashes.`,
};

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

// Each command's code is imported only when that command runs, so help, usage errors and the small commands
// start without loading the whole hub.
export const runCli = async (argv: string[]): Promise<number> => {
  const [first, second] = argv;
  // "user" and "credentials" take an action word; "credentials --help" is the group's own usage.
  const grouped = first === 'user' || (first === 'credentials' && second !== undefined && !second.startsWith('-'));
  const command = grouped ? `${first} ${second ?? ''}`.trim() : (first ?? 'serve');
  const rest = argv.slice(grouped ? 2 : first && !first.startsWith('-') ? 1 : 0);

  if (command === '--help' || command === '-h' || command === 'help') {
    out(HELP.main!);
    return 0;
  }
  if (!(command in HELP) || command === 'main') {
    process.stderr.write(`switchyard: unknown command "${command}"\n\n${HELP.main}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(HELP[command]!);
    return 0;
  }

  switch (command) {
    case 'serve':
      parseArgs({ args: rest, options: {}, strict: true });
      const releaseGrowth = holdYoungGenerationGrowth();
      await (await import('./cli/serve-command.js')).serveCommand();
      releaseGrowth();
      return -1;
    case 'migrate': {
      const { values } = parseArgs({ args: rest, options: { status: { type: 'boolean', default: false }, down: { type: 'boolean', default: false } }, strict: true });
      const { migrateCommand } = await import('./cli/migrate-command.js');
      migrateCommand({ status: values.status === true, down: values.down === true }, out);
      return 0;
    }
    case 'user create': {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'viewer' } }, strict: true });
      if (!values.email || !values.name) throw new Error('user create needs --email and --name (see --help)');
      const { readPassword, userCreateCommand } = await import('./cli/user-create-command.js');
      await userCreateCommand({ email: values.email, name: values.name, role: values.role ?? 'viewer', password: await readPassword() }, out);
      return 0;
    }
    case 'new-plugin': {
      const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true, strict: true });
      if (positionals.length !== 1) throw new Error('new-plugin needs exactly one name (see --help)');
      const made = (await import('./cli/new-plugin-command.js')).newPlugin(positionals[0]!);
      out(`created plugin ${made.name}:`);
      for (const f of made.files) out(`  ${f}`);
      out('It appears in the menu on the next start.');
      return 0;
    }
    case 'credentials':
      process.stderr.write(`${HELP.credentials}\n`);
      return 2;
    case 'credentials create': {
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, type: { type: 'string' }, scopes: { type: 'string' }, ip: { type: 'string', multiple: true }, rate: { type: 'string' } },
        strict: true,
      });
      if (!values.name || !values.type || !values.scopes) throw new Error('credentials create needs --name, --type and --scopes (see --help)');
      await (await import('./cli/credentials-command.js')).credentialsCreate({ name: values.name, type: values.type, scopes: values.scopes.split(','), ips: values.ip ?? [], rate: values.rate }, out, err);
      return 0;
    }
    case 'credentials list':
      parseArgs({ args: rest, options: {}, strict: true });
      await (await import('./cli/credentials-command.js')).credentialsList(out);
      return 0;
    case 'credentials rotate':
    case 'credentials retire':
    case 'credentials revoke': {
      const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true, strict: true });
      if (positionals.length !== 1) throw new Error(`${command} needs exactly one client id (see --help)`);
      const clientId = positionals[0]!;
      const { credentialsRetire, credentialsRevoke, credentialsRotate } = await import('./cli/credentials-command.js');
      if (command === 'credentials rotate') await credentialsRotate(clientId, out, err);
      else if (command === 'credentials retire') await credentialsRetire(clientId, out);
      else await credentialsRevoke(clientId, out);
      return 0;
    }
    default:
      return 2;
  }
};

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    // Start-up and usage problems are one line naming what to fix; anything unexpected keeps its stack.
    const expected = err instanceof StartupError || (err instanceof Error && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) || (err instanceof Error && err.constructor === Error);
    process.stderr.write(`switchyard: ${expected ? (err as Error).message : String((err as Error).stack ?? err)}\n`);
    process.exitCode = 1;
  },
);
