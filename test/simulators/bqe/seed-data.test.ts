import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedData } from '../../../src/simulators/bqe/seed-data.js';
import { GUID_PATTERN } from '../../../src/simulators/bqe/seeded-random.js';

const NOW = Date.UTC(2026, 0, 14, 10);
const seed = (overrides: Partial<Parameters<typeof seedData>[0]> = {}) => seedData({ seed: 1, now: NOW, projects: 60, clients: 15, ...overrides });

test('builds the same tenant for the same seed and clock, and another for another seed', () => {
  const a = [...seed().projects.values()];
  const b = [...seed().projects.values()];
  assert.deepEqual(a, b);
  assert.notDeepEqual([...seed({ seed: 2 }).projects.keys()], a.map((p) => p.id));
});

test('seeds the asked number of projects, clients and a fixed list of activities', () => {
  const data = seed({ projects: 37, clients: 4 });
  assert.equal(data.projects.size, 37);
  assert.equal(data.clients.size, 4);
  assert.equal(data.activities.size, 12);
  assert.equal(seed({ projects: 0, clients: 0 }).projects.size, 0);
});

test('builds a consistent hierarchy down to level 3', () => {
  const data = seed();
  const projects = [...data.projects.values()];
  assert.deepEqual([0, 1, 2, 3].map((level) => projects.some((p) => p.level === level)), [true, true, true, true]);
  for (const p of projects) {
    assert.match(p.id, GUID_PATTERN);
    if (p.parentId === null) {
      assert.equal(p.level, 0);
      assert.equal(p.rootProjectId, p.id);
      assert.match(p.code, /^P-\d{4}$/);
    } else {
      const parent = data.projects.get(p.parentId);
      assert.ok(parent, `parent of ${p.code}`);
      assert.equal(p.level, parent.level + 1);
      assert.equal(p.rootProjectId, parent.rootProjectId);
      assert.ok(p.code.startsWith(`${parent.code}.`));
      assert.equal(p.clientId, parent.clientId);
    }
    assert.ok([0, 2, 3, 4].includes(p.status));
    if (p.clientId !== null) assert.ok(data.clients.has(p.clientId), 'clientId references a seeded client');
  }
});

test('gives many records identical lastUpdated values, all between createdOn and now', () => {
  const projects = [...seed().projects.values()];
  const counts = new Map<number, number>();
  for (const p of projects) {
    counts.set(p.lastUpdated, (counts.get(p.lastUpdated) ?? 0) + 1);
    assert.ok(p.createdOn <= p.lastUpdated && p.lastUpdated < NOW);
    assert.equal(p.lastUpdated % 1000, 0, 'whole seconds');
  }
  const shared = [...counts.values()].filter((n) => n > 1);
  assert.ok(shared.length >= 2, 'several shared timestamps');
  assert.ok(shared.reduce((a, b) => a + b, 0) >= 12, 'a good share of records sit on a shared timestamp');
});

test('gives older records a legacy numeric id and newer ones none', () => {
  const data = seed();
  for (const records of [[...data.projects.values()], [...data.clients.values()]]) {
    const withLegacy = records.filter((r) => r.legacyId !== null);
    assert.ok(withLegacy.length > 0 && withLegacy.length < records.length);
    assert.ok(withLegacy.every((r) => Number.isInteger(r.legacyId)));
  }
});

test('names clients like an architecture firm’s, some with apostrophes', () => {
  const names = [...seed().clients.values()].map((c) => c.name);
  assert.ok(names.includes("O'Connell Development Group"));
  assert.equal(new Set(names).size, names.length);
});

test('generates 10,000 projects quickly for benchmarks', () => {
  const started = performance.now();
  const data = seed({ projects: 10_000 });
  const ms = performance.now() - started;
  assert.equal(data.projects.size, 10_000);
  assert.equal(new Set(data.projects.keys()).size, 10_000);
  assert.ok(ms < 2_000, `took ${Math.round(ms)} ms`);
});
