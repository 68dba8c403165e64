import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createUserRepository, type UserRepository } from '../../../src/db/repositories/user-repository.js';
import { migratedDb } from '../../helpers/db.js';

let db: ReturnType<typeof migratedDb>;
let repo: UserRepository;
before(() => {
  db = migratedDb();
  repo = createUserRepository(db.db);
});
after(() => db.close());

const add = (email: string, role: 'viewer' | 'operator' | 'admin', active = true) =>
  repo.insert({ email, name: email, role, passwordHash: 'x', active, createdAt: 0, updatedAt: 0 });

test('counts active admins, optionally leaving one out', () => {
  const a = add('a@example.com', 'admin');
  add('b@example.com', 'admin');
  add('c@example.com', 'admin', false);
  add('d@example.com', 'operator');
  assert.equal(repo.count(), 4);
  assert.equal(repo.countActiveAdmins(), 2);
  assert.equal(repo.countActiveAdmins(a.id), 1);
});

test('lists users by email and finds them by id or email', () => {
  assert.deepEqual(repo.list().map((u) => u.email), ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
  const c = repo.findByEmail('c@example.com');
  assert.equal(c?.active, false);
  assert.equal(repo.findById(c!.id)?.email, 'c@example.com');
  assert.equal(repo.findById(999), undefined);
});

test('returns the updated row, or nothing for an unknown id', () => {
  const d = repo.findByEmail('d@example.com')!;
  assert.equal(repo.update(d.id, { role: 'viewer', updatedAt: 5 })?.role, 'viewer');
  assert.equal(repo.update(999, { role: 'viewer', updatedAt: 5 }), undefined);
});

test('refuses a second user with the same email', () => {
  assert.throws(() => add('a@example.com', 'viewer'), /UNIQUE constraint failed: users\.email/);
});
