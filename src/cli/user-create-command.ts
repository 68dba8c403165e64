import readline from 'node:readline';
import { createAppContext } from '../app-context.js';
import { loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { createLogger } from '../platform/logger.js';

/** Reads the password from stdin: one line when piped, or a prompt with echo off on a terminal. */
export const readPassword = async (input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> => {
  const rl = readline.createInterface({ input, output, terminal: Boolean(input.isTTY) });
  if (input.isTTY) {
    output.write('Password: ');
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  }
  const line = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  if (input.isTTY) output.write('\n');
  return line;
};

export interface UserCreateArgs {
  email: string;
  name: string;
  role: string;
  password: string;
}

export const userCreateCommand = async (args: UserCreateArgs, out: (line: string) => void): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger({ level: 'warn', format: config.logFormat });
  const ctx = await createAppContext(config, logger);
  try {
    const user = await ctx.users.create({ userId: null, email: 'cli', role: 'admin', ip: null, requestId: null }, { email: args.email, name: args.name, role: args.role as 'viewer', password: args.password });
    out(`created ${user.role} ${user.email} (id ${user.id})`);
  } catch (err) {
    if (isAppError(err) && err.fieldErrors) {
      throw new Error(`${err.message} ${Object.entries(err.fieldErrors).map(([k, v]) => `${k}: ${v}`).join('; ')}`);
    }
    throw err;
  } finally {
    ctx.close();
  }
};
