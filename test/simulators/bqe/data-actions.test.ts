import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bqeFixture } from './bqe-fixture.js';

test('adds a root project with the next code and lastUpdated now', () => {
  const { sim, clock } = bqeFixture({ projects: 3 });
  const project = sim.addProject({ name: 'Harbor Point Ferry Terminal' });
  assert.equal(project.level, 0);
  assert.equal(project.rootProjectId, project.id);
  assert.match(project.code, /^P-\d{4}$/);
  assert.equal(project.lastUpdated, clock.now());
  assert.equal(project.legacyId, null);
});

test('adds a phase under a parent, inheriting client and root, numbering the code', () => {
  const { sim } = bqeFixture({ projects: 0 });
  const client = sim.addClient({ name: 'Test Client' });
  const root = sim.addProject({ name: 'Root', clientId: client.id, code: 'P-9000' });
  const phase = sim.addProject({ name: 'Schematic Design', parentId: root.id });
  const second = sim.addProject({ name: 'Design Development', parentId: root.id.toUpperCase() });
  assert.deepEqual([phase.level, phase.parentId, phase.rootProjectId, phase.clientId, phase.code], [1, root.id, root.id, client.id, 'P-9000.01']);
  assert.equal(second.code, 'P-9000.02');
});

test('refuses a fifth level, an unknown parent and an unknown client', () => {
  const { sim } = bqeFixture({ projects: 0 });
  let parent = sim.addProject({ name: 'L0' });
  for (let level = 1; level <= 3; level++) parent = sim.addProject({ name: `L${level}`, parentId: parent.id });
  assert.throws(() => sim.addProject({ name: 'L4', parentId: parent.id }), (err: Error & { status?: number }) => err.status === 409 && /allows 4 levels/.test(err.message));
  assert.throws(() => sim.addProject({ name: 'x', parentId: '00000000-0000-4000-8000-000000000000' }), /Project .* was not found/);
  assert.throws(() => sim.addProject({ name: 'x', clientId: '00000000-0000-4000-8000-000000000000' }), /Client .* was not found/);
});

test('updates a project and touches lastUpdated, or sets it when given', () => {
  const { sim, clock } = bqeFixture();
  const id = [...sim.data.projects.keys()][0] as string;
  clock.advance(5_500);
  const updated = sim.updateProject(id, { status: 3, name: 'Renamed' });
  assert.equal(updated.status, 3);
  assert.equal(updated.lastUpdated, clock.now() - 500, 'whole seconds');
  sim.updateProject(id, { name: 'Again', lastUpdated: '2026-01-01T00:00:00Z' });
  assert.equal(sim.data.projects.get(id)?.lastUpdated, Date.UTC(2026, 0, 1));
});

test('refuses unknown or empty changes', () => {
  const { sim } = bqeFixture();
  const id = [...sim.data.projects.keys()][0] as string;
  assert.throws(() => sim.updateProject(id, {}), /at least one field/);
  assert.throws(() => sim.updateProject(id, { parentId: null } as never), /parentId/);
  assert.throws(() => sim.updateProject(id, { status: 9 as never }), /status/);
});

test('refuses to delete a project with sub-projects or a client still in use', () => {
  const { sim } = bqeFixture({ projects: 0, clients: 0 });
  const client = sim.addClient({ name: 'In Use' });
  const root = sim.addProject({ name: 'Root', clientId: client.id });
  const leaf = sim.addProject({ name: 'Leaf', parentId: root.id });
  assert.throws(() => sim.deleteProject(root.id), /has 1 sub-project/);
  assert.throws(() => sim.deleteClient(client.id), /used by 2 project/);
  sim.deleteProject(leaf.id);
  sim.deleteProject(root.id);
  sim.deleteClient(client.id);
  assert.equal(sim.data.projects.size + sim.data.clients.size, 0);
});

test('adds and updates clients', () => {
  const { sim, clock } = bqeFixture({ clients: 0 });
  const client = sim.addClient({ name: "D'Angelo Partners", email: 'ap@dangelo.example.com', legacyId: 88 });
  assert.equal(client.company, "D'Angelo Partners");
  assert.equal(client.legacyId, 88);
  clock.advance(2_000);
  assert.equal(sim.updateClient(client.id, { phone: '(555) 010-0000' }).lastUpdated, clock.now());
  assert.throws(() => sim.addClient({ name: 'x', email: 'not-an-email' }), /email/);
});
