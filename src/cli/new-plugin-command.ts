import fs from 'node:fs';
import path from 'node:path';
import { PLUGIN_NAME } from '../plugins/plugin-api.js';
import { projectRoot } from '../paths.js';

const titleOf = (name: string): string => name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

const pluginTs = (name: string, title: string) => `import { projectPath } from '../../paths.js';
import type { Plugin } from '../plugin-api.js';
import { createPageRoutes } from './page-routes.js';
import { settings } from './settings.js';

/** ${title}: registers its settings, one admin page, a menu entry and a help topic. */
const plugin: Plugin = {
  name: '${name}',
  title: '${title}',
  register(ctx) {
    ctx.declareSettings(settings);
    ctx.addAdminRoutes(createPageRoutes(ctx));
    ctx.addMenuItem({ label: 'Overview', href: '/admin/${name}', role: 'viewer' });
    ctx.addHelpTopics(projectPath('user_guides', 'plugins', '${name}'));
    // One polling round per interval while the master switch is on; replace the body with the real work.
    ctx.addTickYield(async ({ helpers }) => {
      helpers.logger.info({ baseUrl: ctx.domainConfig.setting<string>(ctx.name, 'baseUrl') }, '${title} tick');
    });
  },
};

export default plugin;
`;

const settingsTs = (name: string, title: string) => `import type { DomainDeclaration } from '../../platform/settings-schema.js';

/** ${title}'s DomainConfig: the master switch and interval come with \`polling\`; add your own settings below. */
export const settings: Omit<DomainDeclaration, 'domain'> = {
  title: '${title}',
  description: 'Connection and polling for ${title}.',
  helpTopic: '${name}',
  polling: { defaultEnabled: false, defaultIntervalSeconds: 300, minIntervalSeconds: 30, maxIntervalSeconds: 86400 },
  settings: [
    { key: 'baseUrl', label: 'API base URL', help: 'The address of the ${title} API, e.g. https://api.example.com.', type: 'url', default: '' },
    { key: 'apiToken', label: 'API token', help: 'Stored encrypted; never shown again after saving.', type: 'secret' },
  ],
};
`;

const pageRoutesTs = (name: string, title: string) => `import { Hono } from 'hono';
import type { PluginContext } from '../plugin-api.js';
import type { AppEnv } from '../../web/app-env.js';

/** The plugin's pages, mounted at /admin/${name}. Route handlers stay thin: read a service, render a view. */
export const createPageRoutes = (ctx: PluginContext): Hono<AppEnv> => {
  const routes = new Hono<AppEnv>();
  routes.get('/', (c) =>
    c.var.renderer.page(
      c,
      'plugins/${name}/index',
      { config: ctx.domainConfig.get(ctx.name) },
      { title: '${title}', breadcrumbs: [{ label: '${title}' }], helpTopic: '${name}', active: '/admin/${name}' },
    ),
  );
  return routes;
};
`;

const viewEta = (title: string) => `<% layout('../../layout') %>
<div class="box">
  <p>${title} is <strong><%= it.config.enabled ? 'on' : 'off' %></strong>, polling every <%= it.config.pollIntervalSeconds %> seconds.</p>
  <p>API base URL: <%= it.config.settings.baseUrl || 'not set' %> · API token: <%= it.config.settings.apiToken ? 'stored' : 'not set' %></p>
  <p class="mt-3"><a class="button is-link is-light" href="<%= it.h.routes.settings %>#domain-<%= it.config.domain %>">Change ${title} settings</a></p>
</div>
`;

const helpMd = (title: string) => `# ${title}

${title} connects Switchyard to another system. This topic explains how to set it up.

## Setting it up

1. Open **Settings** and find the **${title}** card.
2. Enter the API base URL and token, then save.
3. Turn the master switch on; polling starts within one interval.

## What it does

Describe here what the integration reads and writes, and what an admin should check when it fails.
`;

const testTs = (name: string, title: string) => `import assert from 'node:assert/strict';
import { test } from 'node:test';
import plugin from '../../../src/plugins/${name}/plugin.js';
import { startTestHub } from '../../helpers/hub.js';

test('${name} registers its settings, page and menu entry', async () => {
  const hub = await startTestHub({ plugins: ['${name}'] });
  try {
    assert.equal(plugin.name, '${name}');
    assert.equal(hub.ctx.domainConfig.get('${name}').enabled, false);
    const agent = await hub.signIn('admin');
    const page = await agent.get('/admin/${name}');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /${title} is <strong>off<\\/strong>/);
    assert.ok(hub.ctx.plugins.menu.some((item) => item.href === '/admin/${name}'));
  } finally {
    await hub.close();
  }
});
`;

export interface GeneratedPlugin {
  name: string;
  files: string[];
}

/** Writes a new plugin from the house pattern; refuses a bad name or an existing plugin, writing nothing. */
export const newPlugin = (name: string, root = projectRoot): GeneratedPlugin => {
  if (!PLUGIN_NAME.test(name)) throw new Error(`plugin name "${name}" must be 2-32 lower-case letters, digits or dashes, starting with a letter`);
  const title = titleOf(name);
  const files: [string, string][] = [
    [path.join('src', 'plugins', name, 'plugin.ts'), pluginTs(name, title)],
    [path.join('src', 'plugins', name, 'settings.ts'), settingsTs(name, title)],
    [path.join('src', 'plugins', name, 'page-routes.ts'), pageRoutesTs(name, title)],
    [path.join('views', 'plugins', name, 'index.eta'), viewEta(title)],
    [path.join('user_guides', 'plugins', name, `${name}.md`), helpMd(title)],
    [path.join('test', 'plugins', name, 'plugin.test.ts'), testTs(name, title)],
  ];
  const existing = files.map(([rel]) => rel).filter((rel) => fs.existsSync(path.join(root, rel)));
  if (existing.length) throw new Error(`plugin "${name}" already exists (${existing.join(', ')}); choose another name`);
  for (const [rel, content] of files) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content, { flag: 'wx' });
  }
  return { name, files: files.map(([rel]) => rel) };
};
