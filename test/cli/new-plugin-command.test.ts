import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { newPlugin } from '../../src/cli/new-plugin-command.js';
import { tempDir } from '../helpers/hub.js';
import { copyProject } from '../helpers/project-copy.js';

const FILES = (name: string): string[] => [
  path.join('src', 'plugins', name, 'plugin.ts'),
  path.join('src', 'plugins', name, 'settings.ts'),
  path.join('src', 'plugins', name, 'page-routes.ts'),
  path.join('views', 'plugins', name, 'index.eta'),
  path.join('user_guides', 'plugins', name, `${name}.md`),
  path.join('test', 'plugins', name, 'plugin.test.ts'),
];

const listFiles = (root: string): string[] =>
  fs.existsSync(root) ? (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((d) => d.isFile()).map((d) => path.relative(root, path.join(d.parentPath, d.name))).sort() : [];

describe('newPlugin into a temp root', () => {
  test('writes the six files of the house pattern', () => {
    const root = tempDir();
    const made = newPlugin('hr-sync', root);
    assert.equal(made.name, 'hr-sync');
    assert.deepEqual(made.files, FILES('hr-sync'));
    assert.deepEqual(listFiles(root), [...FILES('hr-sync')].sort());
  });

  test('fills the name and title into every file', () => {
    const root = tempDir();
    newPlugin('hr-sync', root);
    const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');

    const plugin = read('src/plugins/hr-sync/plugin.ts');
    assert.match(plugin, /name: 'hr-sync',/);
    assert.match(plugin, /title: 'Hr Sync',/);
    assert.match(plugin, /ctx\.declareSettings\(settings\)/);
    assert.match(plugin, /ctx\.addAdminRoutes\(createPageRoutes\(ctx\)\)/);
    assert.match(plugin, /ctx\.addMenuItem\(\{ label: 'Overview', href: '\/admin\/hr-sync', role: 'viewer' \}\)/);
    assert.match(plugin, /ctx\.addHelpTopics\(projectPath\('user_guides', 'plugins', 'hr-sync'\)\)/);
    assert.match(plugin, /export default plugin;/);

    const settings = read('src/plugins/hr-sync/settings.ts');
    assert.match(settings, /title: 'Hr Sync',/);
    assert.match(settings, /helpTopic: 'hr-sync',/);
    assert.match(settings, /polling: \{ defaultEnabled: false, defaultIntervalSeconds: 300, minIntervalSeconds: 30, maxIntervalSeconds: 86400 \}/);
    assert.match(settings, /key: 'baseUrl'.*type: 'url'/);
    assert.match(settings, /key: 'apiToken'.*type: 'secret'/);

    const routes = read('src/plugins/hr-sync/page-routes.ts');
    assert.match(routes, /'plugins\/hr-sync\/index'/);
    assert.match(routes, /active: '\/admin\/hr-sync'/);

    const view = read('views/plugins/hr-sync/index.eta');
    assert.match(view, /^<% layout\('..\/..\/layout'\) %>/);
    assert.match(view, /Hr Sync is <strong><%= it\.config\.enabled \? 'on' : 'off' %><\/strong>/);

    const help = read('user_guides/plugins/hr-sync/hr-sync.md');
    assert.match(help, /^# Hr Sync\n/);
    assert.match(help, /^## Setting it up$/m);

    const testFile = read('test/plugins/hr-sync/plugin.test.ts');
    assert.match(testFile, /import plugin from '..\/..\/..\/src\/plugins\/hr-sync\/plugin\.js';/);
    assert.match(testFile, /startTestHub\(\{ plugins: \['hr-sync'\] \}\)/);
    assert.match(testFile, /Hr Sync is <strong>off<\\\/strong>/);
  });

  test('titles a one-word name', () => {
    const root = tempDir();
    newPlugin('bamboo', root);
    assert.match(fs.readFileSync(path.join(root, 'src/plugins/bamboo/plugin.ts'), 'utf8'), /title: 'Bamboo',/);
  });

  test('refuses a bad name and writes nothing', () => {
    const root = tempDir();
    for (const bad of ['', 'a', 'HR', 'hr_sync', '1hr', '-hr', 'hr sync', '../evil', `h${'r'.repeat(32)}`]) {
      assert.throws(() => newPlugin(bad, root), /must be 2-32 lower-case letters, digits or dashes, starting with a letter/, bad);
    }
    assert.deepEqual(listFiles(root), []);
  });

  test('refuses an existing plugin, listing what exists and writing nothing', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'views', 'plugins', 'crm'), { recursive: true });
    fs.writeFileSync(path.join(root, 'views', 'plugins', 'crm', 'index.eta'), 'mine');
    assert.throws(() => newPlugin('crm', root), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.equal(err.message, `plugin "crm" already exists (${path.join('views', 'plugins', 'crm', 'index.eta')}); choose another name`);
      return true;
    });
    assert.deepEqual(listFiles(root), [path.join('views', 'plugins', 'crm', 'index.eta')]);
    assert.equal(fs.readFileSync(path.join(root, 'views', 'plugins', 'crm', 'index.eta'), 'utf8'), 'mine');
  });

  test('refuses to generate the same plugin twice', () => {
    const root = tempDir();
    newPlugin('twice', root);
    assert.throws(() => newPlugin('twice', root), /plugin "twice" already exists/);
  });
});

describe('newPlugin into a copy of the project', () => {
  test('generates a plugin that the hub loads, shows and lists in the menu, with a passing test of its own', async () => {
    const root = copyProject();
    const name = 'zz-gen';
    const title = 'Zz Gen';
    const made = newPlugin(name, root);
    for (const rel of made.files) assert.ok(fs.existsSync(path.join(root, rel)), rel);

    // The copy's own modules, so the hub resolves the new folder under the copy's src/plugins.
    const copy = (await import(pathToFileURL(path.join(root, 'test', 'helpers', 'hub.ts')).href)) as typeof import('../helpers/hub.js');
    const hub = await copy.startTestHub({ plugins: [name] });
    try {
      assert.equal(hub.ctx.domainConfig.get(name).enabled, false);
      assert.equal(hub.ctx.domainConfig.get(name).pollIntervalSeconds, 300);
      assert.ok(hub.ctx.plugins.menu.some((item) => item.href === `/admin/${name}` && item.label === 'Overview' && item.section === title));
      assert.equal(hub.ctx.help.get(name).title, title);

      const agent = await hub.signIn('admin');
      const page = await agent.get(`/admin/${name}`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, new RegExp(`${title} is <strong>off</strong>`));
      assert.match(html, /API token: not set/);
      assert.ok(html.includes(`href="/admin/${name}"`), 'the menu links to the page');
    } finally {
      await hub.close();
    }

    // Without NODE_TEST_CONTEXT the child reports for itself instead of to this runner.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_TEST_CONTEXT'));
    const generatedTest = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter', 'tap', path.join('test', 'plugins', name, 'plugin.test.ts')], { cwd: root, encoding: 'utf8', env: { ...env, LOG_LEVEL: 'silent' } });
    assert.equal(generatedTest.status, 0, generatedTest.stdout + generatedTest.stderr);
    assert.match(generatedTest.stdout, /# pass 1\n/);
  });
});
