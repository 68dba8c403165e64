import type { Config } from './config.js';
import { openDatabase, type DbHandle } from './db/connection.js';
import { migrationStatus, runMigrations } from './db/migrate.js';
import { createApiCredentialRepository } from './db/repositories/api-credential-repository.js';
import { createApiNonceRepository } from './db/repositories/api-nonce-repository.js';
import { createCacheRepository } from './db/repositories/cache-repository.js';
import { createAuditRepository } from './db/repositories/audit-repository.js';
import { createDomainConfigRepository } from './db/repositories/domain-config-repository.js';
import { createLoginFailureRepository } from './db/repositories/login-failure-repository.js';
import { createMetaRepository } from './db/repositories/meta-repository.js';
import { createSessionRepository } from './db/repositories/session-repository.js';
import { createUserRepository } from './db/repositories/user-repository.js';
import { transactionRunner } from './db/transaction.js';
import { createApiCredentialService } from './auth/api-credentials/credential-service.js';
import { createApiAuthenticator } from './auth/api-credentials/request-authenticator.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import type { ScryptParams } from './auth/passwords.js';
import { createSessionService } from './auth/session-service.js';
import { createUserService } from './auth/user-service.js';
import { systemActor } from './platform/actor.js';
import { createAuditService } from './platform/audit.js';
import { systemClock, type Clock } from './platform/clock.js';
import { createDomainConfigService } from './platform/domain-config.js';
import { EventBus } from './platform/events.js';
import { HelpLibrary } from './platform/help.js';
import type { Logger } from './platform/logger.js';
import { PLATFORM_DOMAIN, platformDeclaration, type PlatformSettings } from './platform/platform-settings.js';
import { createCacheAdmin } from './platform/cache-admin.js';
import { LatencyRecorder } from './platform/latency.js';
import { Readiness } from './platform/readiness.js';
import { SwrCache } from './platform/swr-cache.js';
import { resolveMasterKey, SecretBox, verifyKeyCanary } from './platform/secrets.js';
import { projectPath } from './paths.js';
import { DEFAULT_RUNNER_OPTIONS, JobQueue, JobRunner, parseCrontab, type TaskList } from './jobs/index.js';
import { createJobsService } from './jobs/jobs-service.js';
import { maintenanceTasks } from './platform/maintenance.js';
import { StartupError } from './errors.js';
import { loadPlugins, PLUGINS_DIR, type PluginContributions } from './plugins/registry.js';

export interface ContextOptions {
  clock?: Clock;
  pluginsDir?: string;
  helpDir?: string;
  scrypt?: ScryptParams;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Builds everything below the HTTP layer, in the order the house plan gives:
 * data dir and key → database and migrations → services → plugins.
 */
export const createAppContext = async (config: Config, logger: Logger, options: ContextOptions = {}) => {
  const clock = options.clock ?? systemClock;
  const handle: DbHandle = openDatabase(config.dataDir);
  try {
    const applied = runMigrations(handle);
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');

    const metaRepo = createMetaRepository(handle.db);
    const { key, source } = resolveMasterKey(config.dataDir, config.secretKey);
    if (source === 'generated') logger.warn({ dataDir: config.dataDir }, 'generated a new secret key in the data dir; back it up with the database');
    const secrets = new SecretBox(key);
    verifyKeyCanary(secrets, { get: () => metaRepo.get('secret_canary'), set: (v) => metaRepo.set('secret_canary', v) }, config.dataDir);

    const tx = transactionRunner(handle);
    const events = new EventBus();
    // Until alert channels exist, every alert is at least one log line an operator can grep for.
    events.on('alert.raised', (alert) => {
      const fields = { alert: alert.title, source: alert.source, severity: alert.severity, detail: alert.message, link: alert.link ?? null };
      if (alert.severity === 'critical') logger.error(fields, 'alert raised');
      else logger.warn(fields, 'alert raised');
    });
    const audit = createAuditService(createAuditRepository(handle.db), clock);
    const domainConfig = createDomainConfigService({ repo: createDomainConfigRepository(handle.db), tx, audit, secrets, clock, events });
    domainConfig.declare(platformDeclaration);
    const platform = (): PlatformSettings => domainConfig.get(PLATFORM_DOMAIN).settings as unknown as PlatformSettings;

    const throttle = createLoginThrottle(createLoginFailureRepository(handle.db), clock, () => {
      const s = platform();
      return { slowdownAfter: s.loginSlowdownAfter, lockoutAfter: s.loginLockoutAfter, lockoutMinutes: s.loginLockoutMinutes };
    });
    const users = createUserService({
      repo: createUserRepository(handle.db),
      tx,
      audit,
      throttle,
      clock,
      events,
      logger: logger.child({ service: 'users' }),
      ...(options.scrypt ? { scrypt: options.scrypt } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
    const sessions = createSessionService(createSessionRepository(handle.db), clock, () => platform().sessionHours * 3_600_000);
    const help = new HelpLibrary(options.helpDir ?? projectPath('user_guides'));
    const apiCredentialRepo = createApiCredentialRepository(handle.db);
    const apiNonces = createApiNonceRepository(handle.db);
    const apiCredentials = createApiCredentialService({ repo: apiCredentialRepo, nonces: apiNonces, box: secrets, audit, tx, clock });
    const apiAuthenticator = createApiAuthenticator({ repo: apiCredentialRepo, nonces: apiNonces, box: secrets, clock });

    const readiness = new Readiness();
    readiness.register('database', () => {
      handle.sqlite.prepare('SELECT 1').get();
      return { ok: true };
    });
    readiness.register('migrations', () => {
      const status = migrationStatus(handle);
      return status.pending.length ? { ok: false, reason: `pending migrations: ${status.pending.join(', ')}` } : { ok: true };
    });

    if (config.adminEmail && config.adminPassword) {
      await users.ensureBootstrapAdmin(config.adminEmail, config.adminPassword, systemActor);
    }

    const queue = new JobQueue(handle, clock, events);
    const cache = new SwrCache(createCacheRepository(handle.db), clock, logger.child({ component: 'cache' }));
    const plugins: PluginContributions = await loadPlugins(options.pluginsDir ?? PLUGINS_DIR, {
      config,
      logger,
      clock,
      events,
      audit,
      domainConfig,
      queue,
      db: handle,
      tx,
      secrets,
      cache,
      addHelpDirectory: (dir) => help.addDirectory(dir),
    });

    let runner: JobRunner | undefined;
    const jobs = createJobsService({ handle, queue, runner: () => runner, audit, clock, events });
    const maintenance = maintenanceTasks({
      handle,
      clock,
      logger: logger.child({ component: 'maintenance' }),
      audit,
      jobs,
      settings: platform,
      pruneSessions: () => sessions.prune(),
      pruneLoginFailures: () => throttle.prune(),
      pruneApiAuth: () => apiCredentials.prune(),
    });
    const tasks: TaskList = { ...maintenance.tasks };
    for (const [identifier, task] of Object.entries(plugins.tasks)) {
      if (tasks[identifier]) throw new StartupError(`task "${identifier}" is registered by a plugin and by the platform`);
      tasks[identifier] = task;
    }
    const crontab = [
      ...parseCrontab(maintenance.crontab, 'built-in maintenance crontab'),
      ...plugins.crontabs.flatMap((c) => parseCrontab(c.lines, c.source)),
    ];
    runner = new JobRunner(
      handle,
      queue,
      tasks,
      { ...DEFAULT_RUNNER_OPTIONS, pools: { default: { concurrency: config.jobConcurrency }, ui_fast: { concurrency: config.uiJobConcurrency } }, crontab },
      clock,
      events,
      logger.child({ component: 'jobs' }),
    );
    const jobRunner = runner;
    readiness.register('jobs', () => (jobRunner.started ? { ok: true } : { ok: false, reason: 'job runner not started' }));

    return {
      config,
      logger,
      clock,
      db: handle,
      secrets,
      events,
      audit,
      domainConfig,
      platformSettings: platform,
      throttle,
      users,
      sessions,
      /** API credentials: create, rotate, retire, revoke (admin pages and the CLI). */
      apiCredentials,
      /** Checks each /api/v1 request's signature or token (apiAuth). */
      apiAuthenticator,
      help,
      readiness,
      plugins,
      cache,
      /** Purging and refreshing cache entries on an admin's request, audited. */
      cacheAdmin: createCacheAdmin({ cache, audit }),
      /** Request timings from the server and the browser, for the diagnostics page. */
      latency: new LatencyRecorder(),
      queue,
      jobs,
      runner: jobRunner,
      /** Starts background work: the worker pools, cron, and each plugin's polling tick. */
      async startJobs(): Promise<void> {
        jobRunner.start();
        for (const tick of plugins.ticks) await tick.ensureScheduled(queue);
      },
      stopJobs: () => jobRunner.stop(),
      close: () => handle.close(),
    };
  } catch (err) {
    handle.close();
    throw err;
  }
};

export type AppContext = Awaited<ReturnType<typeof createAppContext>>;
