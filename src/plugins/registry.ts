import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { StartupError } from '../errors.js';
import type { TaskList } from '../jobs/index.js';
import { tickYield, type TickYield } from '../jobs/tick-yield.js';
import type { AppEnv } from '../web/app-env.js';
import { PLUGIN_NAME, type MenuItem, type Plugin, type PluginContext } from './plugin-api.js';

export const PLUGINS_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface LoadedPlugin {
  plugin: Plugin;
  adminRoutes: Hono<AppEnv>[];
  webhookRoutes: Hono<AppEnv>[];
  apiRoutes: OpenAPIHono<AppEnv>[];
}

export interface PluginContributions {
  plugins: LoadedPlugin[];
  menu: MenuItem[];
  tasks: TaskList;
  crontabs: { source: string; lines: string }[];
  ticks: TickYield[];
}

const isPlugin = (value: unknown): value is Plugin =>
  typeof value === 'object' && value !== null && typeof (value as Plugin).name === 'string' && typeof (value as Plugin).title === 'string' && typeof (value as Plugin).register === 'function';

/** Finds plugin entry files: <dir>/<name>/plugin.js (built) or plugin.ts (sources run by tsx). */
export const discoverPlugins = (dir: string): string[] => {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    // A plugin folder may be a symlink (a plugin kept in its own checkout); a Dirent does not follow it.
    .filter((d) => d.isDirectory() || (d.isSymbolicLink() && fs.statSync(path.join(dir, d.name), { throwIfNoEntry: false })?.isDirectory() === true))
    .map((d) => ['plugin.js', 'plugin.ts'].map((f) => path.join(dir, d.name, f)).find((f) => fs.existsSync(f)))
    .filter((f): f is string => f !== undefined)
    .sort();
};

type BaseContext = Omit<PluginContext, 'name' | 'declareSettings' | 'addAdminRoutes' | 'addWebhookRoutes' | 'addApiRoutes' | 'addMenuItem' | 'addHelpTopics' | 'addTasks' | 'addCrontab' | 'addTickYield' | 'logger'> & {
  logger: PluginContext['logger'];
  addHelpDirectory(dir: string): void;
};

/** Imports every plugin folder and lets each register; a broken plugin stops start-up naming its file. */
export const loadPlugins = async (dir: string, base: BaseContext): Promise<PluginContributions> => {
  const contributions: PluginContributions = { plugins: [], menu: [], tasks: {}, crontabs: [], ticks: [] };
  const addTask = (owner: string, identifier: string, task: TaskList[string]) => {
    if (contributions.tasks[identifier]) throw new StartupError(`plugin ${owner}: task "${identifier}" is already registered`);
    contributions.tasks[identifier] = task;
  };
  for (const file of discoverPlugins(dir)) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (err) {
      throw new StartupError(`plugin ${file} failed to load: ${(err as Error).message}`, { cause: err });
    }
    const plugin = mod.default;
    if (!isPlugin(plugin)) throw new StartupError(`plugin ${file} must export default an object with name, title and register(ctx)`);
    const folder = path.basename(path.dirname(file));
    if (!PLUGIN_NAME.test(plugin.name) || plugin.name !== folder) {
      throw new StartupError(`plugin ${file}: name "${plugin.name}" must equal its folder name "${folder}" and use lower-case letters, digits and dashes`);
    }
    if (contributions.plugins.some((p) => p.plugin.name === plugin.name)) throw new StartupError(`plugin name "${plugin.name}" is used twice`);

    const loaded: LoadedPlugin = { plugin, adminRoutes: [], webhookRoutes: [], apiRoutes: [] };
    const ctx: PluginContext = {
      ...base,
      name: plugin.name,
      logger: base.logger.child({ plugin: plugin.name }),
      declareSettings: (decl) => base.domainConfig.declare({ ...decl, domain: plugin.name }),
      addAdminRoutes: (routes) => loaded.adminRoutes.push(routes),
      addWebhookRoutes: (routes) => loaded.webhookRoutes.push(routes),
      addApiRoutes: (routes) => loaded.apiRoutes.push(routes),
      addMenuItem: (item) => contributions.menu.push({ section: plugin.title, ...item }),
      addHelpTopics: (helpDir) => base.addHelpDirectory(helpDir),
      addTasks: (tasks) => {
        for (const [identifier, task] of Object.entries(tasks)) addTask(plugin.name, identifier, task);
      },
      addCrontab: (lines) => contributions.crontabs.push({ source: `plugin ${plugin.name} crontab`, lines }),
      addTickYield: (work) => {
        if (!base.domainConfig.declaration(plugin.name).polling) throw new StartupError(`plugin ${plugin.name}: addTickYield needs settings declared with polling`);
        const tick = tickYield({ domain: plugin.name, domainConfig: base.domainConfig, events: base.events, clock: base.clock, work });
        addTask(plugin.name, tick.identifier, tick.task);
        contributions.ticks.push(tick);
      },
    };
    try {
      await plugin.register(ctx);
    } catch (err) {
      throw new StartupError(`plugin ${plugin.name} failed to register: ${(err as Error).message}`, { cause: err });
    }
    contributions.plugins.push(loaded);
    base.logger.info({ plugin: plugin.name }, 'plugin loaded');
  }
  return contributions;
};
