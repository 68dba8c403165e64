import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import type { Config } from '../config.js';
import type { DbHandle } from '../db/connection.js';
import type { RunInTransaction } from '../db/transaction.js';
import type { Role } from '../db/schema/users.js';
import type { JobQueue, TaskList } from '../jobs/index.js';
import type { TickContext } from '../jobs/tick-yield.js';
import type { AuditService } from '../platform/audit.js';
import type { Clock } from '../platform/clock.js';
import type { DomainConfigService } from '../platform/domain-config.js';
import type { EventBus } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import type { SecretBox } from '../platform/secrets.js';
import type { SwrCache } from '../platform/swr-cache.js';
import type { DomainDeclaration } from '../platform/settings-schema.js';
import type { AppEnv } from '../web/app-env.js';

export interface MenuItem {
  label: string;
  href: string;
  /** Lowest role that sees the item. */
  role: Role;
  /** Menu section heading; plugins usually use their title. */
  section: string;
}

/** What the platform offers a plugin while it registers. Plugins depend on this; the platform never imports a plugin. */
export interface PluginContext {
  readonly name: string;
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly audit: AuditService;
  readonly domainConfig: DomainConfigService;
  /** The shared SQLite handle; a plugin builds its own drizzle instance over its own tables (in its db/ folder). */
  readonly db: DbHandle;
  readonly tx: RunInTransaction;
  /** Encrypts values a plugin keeps outside DomainConfig secrets. */
  readonly secrets: SecretBox;
  /** The stale-while-revalidate cache (memory, then SQLite); keys should start with the plugin's name. */
  readonly cache: SwrCache;
  /** Adds jobs: addJob(identifier, payload, spec), graphile-worker style. */
  readonly queue: JobQueue;
  /** Declares the plugin's DomainConfig; the settings page gets a card for it. */
  declareSettings(decl: Omit<DomainDeclaration, 'domain'>): void;
  /** Mounts a Hono sub-app at /admin/<name>; every route already requires a signed-in user. */
  addAdminRoutes(routes: Hono<AppEnv>): void;
  /**
   * Mounts a Hono sub-app at /hooks/<name> for upstream webhooks: no session, no CSRF token,
   * so every route must verify its caller itself (a signature or a shared secret).
   */
  addWebhookRoutes(routes: Hono<AppEnv>): void;
  /**
   * Mounts /api/v1 operations at /api/v1/<name>: build them with apiRouter() and apiRoute() (src/api/api-route.ts),
   * so each declares its scope and schemas and appears in the OpenAPI document. The caller is authenticated and
   * `c.var.actor` names the credential.
   */
  addApiRoutes(routes: OpenAPIHono<AppEnv>): void;
  addMenuItem(item: Omit<MenuItem, 'section'> & { section?: string }): void;
  /** A folder of markdown topics served under /admin/help. */
  addHelpTopics(dir: string): void;
  /** Job tasks; identifiers should start with the plugin's name ("pf-jira.route_event"). */
  addTasks(tasks: TaskList): void;
  /** Crontab lines in graphile-worker's syntax; a bad line stops start-up naming it. */
  addCrontab(lines: string): void;
  /** The polling pattern for this plugin's domain: `work` runs once per interval while the master switch is on. */
  addTickYield(work: (ctx: TickContext) => Promise<void>): void;
}

export interface Plugin {
  /** Folder name and URL segment: lower-case letters, digits and dashes. */
  name: string;
  title: string;
  register(ctx: PluginContext): void | Promise<void>;
}

export const PLUGIN_NAME = /^[a-z][a-z0-9-]{1,31}$/;
