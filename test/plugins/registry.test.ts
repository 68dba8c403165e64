import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { StartupError } from '../../src/errors.js';
import { projectPath } from '../../src/paths.js';
import { discoverPlugins, PLUGINS_DIR } from '../../src/plugins/registry.js';
import { startTestHub, tempDir } from '../helpers/hub.js';

const FIXTURES = projectPath('test', 'fixtures', 'plugins');
const fixture = (scenario: string): string => path.join(FIXTURES, scenario);

/** Asserts the hub refuses to start with a StartupError naming the plugin file. */
const refusesToStart = async (scenario: string, folder: string, says: RegExp): Promise<void> => {
  const file = path.join(fixture(scenario), folder, 'plugin.ts');
  await assert.rejects(startTestHub({ pluginsDir: fixture(scenario) }), (err: unknown) => {
    assert.ok(err instanceof StartupError, `expected a StartupError, got ${String(err)}`);
    assert.match(err.message, says);
    return true;
  });
  assert.ok(fs.existsSync(file));
};

describe('discoverPlugins', () => {
  test('finds plugin folders and skips stray files and folders without a plugin file', () => {
    assert.deepEqual(discoverPlugins(fixture('valid')), [path.join(fixture('valid'), 'fixture-crm', 'plugin.ts')]);
  });

  test('returns nothing for a missing folder', () => {
    assert.deepEqual(discoverPlugins(path.join(tempDir(), 'missing')), []);
  });

  test('prefers a built plugin.js over plugin.ts', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'both'));
    fs.writeFileSync(path.join(dir, 'both', 'plugin.ts'), '');
    fs.writeFileSync(path.join(dir, 'both', 'plugin.js'), '');
    assert.deepEqual(discoverPlugins(dir), [path.join(dir, 'both', 'plugin.js')]);
  });

  test('follows a plugin folder that is a symlink, and skips a broken link', () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(fixture('valid'), 'fixture-crm'), path.join(dir, 'fixture-crm'), 'dir');
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'), 'dir');
    assert.deepEqual(discoverPlugins(dir), [path.join(dir, 'fixture-crm', 'plugin.ts')]);
  });

  test('uses the folder next to the registry by default', () => {
    assert.equal(PLUGINS_DIR, projectPath('src', 'plugins'));
  });
});

describe('loadPlugins', () => {
  test('registers a valid plugin: settings, menu items, help topics and admin routes', async () => {
    const hub = await startTestHub({ pluginsDir: fixture('valid') });
    try {
      assert.deepEqual(hub.ctx.plugins.plugins.map((p) => p.plugin.name), ['fixture-crm']);
      assert.equal(hub.ctx.plugins.plugins[0]!.adminRoutes.length, 2);

      const config = hub.ctx.domainConfig.get('fixture-crm');
      assert.equal(config.enabled, false);
      assert.equal(config.pollIntervalSeconds, 120);
      assert.equal(config.settings.region, 'eu');

      assert.deepEqual(hub.ctx.plugins.menu, [
        { section: 'Fixture CRM', label: 'Contacts', href: '/admin/fixture-crm', role: 'viewer' },
        { section: 'Integrations', label: 'Sync admin', href: '/admin/fixture-crm/extra', role: 'admin' },
      ]);
      assert.equal(hub.ctx.help.get('fixture-crm').title, 'Fixture CRM');

      const admin = await hub.signIn('admin');
      const page = await admin.get('/admin/fixture-crm');
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<h1>Fixture CRM<\/h1><p>region eu<\/p>/);
      assert.equal(await (await admin.get('/admin/fixture-crm/extra')).text(), 'extra route');
      assert.equal(await (await admin.get('/admin/fixture-crm/whoami')).text(), 'admin@example.com');
    } finally {
      await hub.close();
    }
  });

  test("collects a plugin's tasks, crontab and polling tick", async () => {
    const hub = await startTestHub({ pluginsDir: fixture('valid') });
    try {
      assert.deepEqual(Object.keys(hub.ctx.plugins.tasks).sort(), ['fixture-crm.sync', 'fixture-crm.tick']);
      assert.deepEqual(hub.ctx.plugins.crontabs, [{ source: 'plugin fixture-crm crontab', lines: '0 3 * * * fixture-crm.sync' }]);
      assert.deepEqual(hub.ctx.plugins.ticks.map((t) => t.identifier), ['fixture-crm.tick']);
    } finally {
      await hub.close();
    }
  });

  test('puts plugin pages behind sign-in', async () => {
    const hub = await startTestHub({ pluginsDir: fixture('valid') });
    try {
      await hub.signIn('admin');
      const res = await hub.agent().get('/admin/fixture-crm');
      assert.notEqual(res.status, 200);
      assert.ok([302, 303, 401].includes(res.status), `got ${res.status}`);
    } finally {
      await hub.close();
    }
  });

  test('shows plugin menu items to the roles they name', async () => {
    const hub = await startTestHub({ pluginsDir: fixture('valid') });
    try {
      const viewerPage = await (await (await hub.signIn('viewer')).get('/admin')).text();
      assert.match(viewerPage, /href="\/admin\/fixture-crm"/);
      assert.doesNotMatch(viewerPage, /href="\/admin\/fixture-crm\/extra"/);
      const adminPage = await (await (await hub.signIn('admin')).get('/admin')).text();
      assert.match(adminPage, /href="\/admin\/fixture-crm\/extra"/);
      assert.match(adminPage, /Integrations/);
    } finally {
      await hub.close();
    }
  });

  test('loads a plugin through a symlinked folder', async () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(fixture('valid'), 'fixture-crm'), path.join(dir, 'fixture-crm'), 'dir');
    const hub = await startTestHub({ pluginsDir: dir });
    try {
      assert.deepEqual(hub.ctx.plugins.plugins.map((p) => p.plugin.name), ['fixture-crm']);
    } finally {
      await hub.close();
    }
  });

  test('starts with no plugins from an empty folder', async () => {
    const hub = await startTestHub({ pluginsDir: tempDir() });
    try {
      assert.deepEqual(hub.ctx.plugins.plugins, []);
      assert.deepEqual(hub.ctx.plugins.menu, []);
    } finally {
      await hub.close();
    }
  });

  test('refuses a plugin whose name differs from its folder, naming the file', async () => {
    await refusesToStart('mismatch', 'wrong-folder', /^plugin \S+\/mismatch\/wrong-folder\/plugin\.ts: name "other-name" must equal its folder name "wrong-folder"/);
  });

  test('refuses a plugin that throws while registering', async () => {
    await refusesToStart('throws', 'fixture-broken', /^plugin fixture-broken failed to register: cannot reach the CRM$/);
  });

  test('refuses a plugin without a default export, naming the file', async () => {
    await refusesToStart('no-default', 'fixture-nodefault', /^plugin \S+\/no-default\/fixture-nodefault\/plugin\.ts must export default an object with name, title and register\(ctx\)$/);
  });

  test('refuses a plugin that cannot be imported, naming the file', async () => {
    await refusesToStart('bad-import', 'fixture-badimport', /^plugin \S+\/bad-import\/fixture-badimport\/plugin\.ts failed to load: /);
  });

  test('refuses two plugins registering the same task', async () => {
    await assert.rejects(startTestHub({ pluginsDir: fixture('dup-task') }), /^StartupError: plugin fixture-b failed to register: plugin fixture-b: task "shared\.task" is already registered$/);
  });

  test('refuses a polling tick for a domain declared without polling', async () => {
    await assert.rejects(startTestHub({ pluginsDir: fixture('tick-no-polling') }), /^StartupError: plugin fixture-nopoll failed to register: plugin fixture-nopoll: addTickYield needs settings declared with polling$/);
  });

  test('refuses a plugin whose folder name is not a plugin name', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'Bad_Name'));
    fs.writeFileSync(path.join(dir, 'Bad_Name', 'plugin.js'), "export default { name: 'Bad_Name', title: 'Bad', register() {} };\n");
    await assert.rejects(startTestHub({ pluginsDir: dir }), /^StartupError: plugin .*Bad_Name\/plugin\.js: name "Bad_Name" must equal its folder name "Bad_Name" and use lower-case letters/);
  });
});
