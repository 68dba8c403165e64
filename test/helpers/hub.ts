import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hono } from 'hono';
import { createAppContext, type AppContext, type ContextOptions } from '../../src/app-context.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Role } from '../../src/db/schema/users.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { createWebApp } from '../../src/web/app.js';
import type { AppEnv } from '../../src/web/app-env.js';
import { projectPath } from '../../src/paths.js';

/** Cheap scrypt for tests: the parameters travel with each hash, so verification still works. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };
export const TEST_PASSWORD = 'correct-horse-battery-staple';

export const tempDir = (prefix = 'switchyard-test-'): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export interface TestHubOptions {
  env?: Record<string, string>;
  /** Plugin folder names under src/plugins to load; none by default. */
  plugins?: string[];
  /** A folder of plugin folders to load instead (fixtures). */
  pluginsDir?: string;
  clock?: ManualClock;
  context?: Partial<ContextOptions>;
  dataDir?: string;
  /** Start the job runner as the server does (default true). */
  startJobs?: boolean;
}

/** A cookie-carrying client over app.request(), the way a browser would use the hub. */
export class Agent {
  readonly cookies = new Map<string, string>();
  csrfToken = '';
  constructor(private readonly app: Hono<AppEnv>) {}

  async request(method: string, url: string, init: { form?: Record<string, string | string[]>; headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined = init.body;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
      body = params.toString();
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    }
    const res = await this.app.request(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim())) || value === '';
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return res;
  }

  get(url: string, headers?: Record<string, string>): Promise<Response> {
    return this.request('GET', url, headers ? { headers } : {});
  }

  /** Posts a form with the session's CSRF token added, as our pages do. */
  post(url: string, form: Record<string, string | string[]> = {}, headers?: Record<string, string>): Promise<Response> {
    return this.request('POST', url, { form: { _csrf: this.csrfToken, ...form }, ...(headers ? { headers } : {}) });
  }

  /** Reads the CSRF token from a signed-in page's meta tag. */
  async refreshCsrf(): Promise<void> {
    const html = await (await this.get('/admin/account')).text();
    this.csrfToken = /<meta name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '';
  }
}

export interface TestHub {
  ctx: AppContext;
  app: Hono<AppEnv>;
  config: Config;
  clock: ManualClock;
  agent(): Agent;
  /** Creates a user with the role (once) and returns an agent signed in as them. */
  signIn(role: Role, email?: string): Promise<Agent>;
  close(): Promise<void>;
}

const linkPlugins = (names: string[]): string => {
  const dir = tempDir('switchyard-plugins-');
  for (const name of names) fs.symlinkSync(projectPath('src', 'plugins', name), path.join(dir, name), 'dir');
  return dir;
};

export const startTestHub = async (options: TestHubOptions = {}): Promise<TestHub> => {
  const dataDir = options.dataDir ?? tempDir();
  const config = loadConfig({ HUB_DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'silent', ...options.env }, false);
  const logger = createLogger({ level: 'silent', format: 'json' });
  const clock = options.clock ?? new ManualClock(Date.now());
  const pluginsDir = options.pluginsDir ?? linkPlugins(options.plugins ?? []);
  const ctx = await createAppContext(config, logger, { clock, pluginsDir, scrypt: TEST_SCRYPT, sleep: async () => undefined, ...options.context });
  if (options.startJobs !== false) await ctx.startJobs();
  const app = createWebApp(ctx);
  const made = new Set<string>();
  return {
    ctx,
    app,
    config,
    clock,
    agent: () => new Agent(app),
    async signIn(role, email = `${role}@example.com`) {
      if (!made.has(email) && !ctx.db.sqlite.prepare('SELECT 1 FROM users WHERE email = ?').get(email)) {
        await ctx.users.create({ userId: null, email: 'test-setup', role: 'admin', ip: null, requestId: null }, { email, name: `${role} user`, role, password: TEST_PASSWORD });
      }
      made.add(email);
      const agent = new Agent(app);
      const res = await agent.request('POST', '/login', { form: { email, password: TEST_PASSWORD } });
      if (res.status !== 303) throw new Error(`test sign-in failed with ${res.status}`);
      await agent.refreshCsrf();
      return agent;
    },
    async close() {
      await ctx.stopJobs();
      ctx.close();
    },
  };
};
