import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src/platform/clock.js';
import { createPeopleForceSimulator } from '../../../src/simulators/peopleforce/peopleforce-simulator.js';
import { startTrickle, trickleStep } from '../../../src/simulators/peopleforce/trickle.js';

/** A small linear congruential generator: the same "random" changes every run. */
const seeded = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

/** Plays the given values in turn, then 0.5 forever. */
const scripted = (...values: number[]) => () => values.shift() ?? 0.5;

const setup = () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 14, 10));
  return { clock, sim: createPeopleForceSimulator({ clock: () => clock.now() }) };
};

test('hires someone starting within two weeks on a low roll, sometimes as a contractor', () => {
  const { sim } = setup();
  // roll, first name, last name, department, location, contractor?, start today?, days ahead
  const change = trickleStep(sim, scripted(0.1, 0, 0, 0, 0, 0.1, 0.9, 0.5));
  assert.match(change, /^hired Olha Marchenko \(Contractor, Engineering\) starting 2026-01-2\d$/);
  const hired = sim.employee(133725);
  assert.equal(hired?.employment_type?.name, 'Contractor');
  assert.equal(hired?.reporting_to?.full_name, 'Olena Koval');
  assert.equal(hired?.status, 'pending_hire');
});

test('moves someone to another position on a middle roll', () => {
  const { sim } = setup();
  const change = trickleStep(sim, scripted(0.5));
  assert.match(change, /^moved /);
});

test('terminates someone who manages nobody on a higher roll', () => {
  const { sim } = setup();
  const before = sim.snapshot().employees.filter((e) => e.termination_effective_date !== null).length;
  assert.match(trickleStep(sim, scripted(0.7)), /^terminated .* effective 2026-/);
  assert.equal(sim.snapshot().employees.filter((e) => e.termination_effective_date !== null).length, before + 1);
});

test('hires instead of terminating when the company is small', () => {
  const sim = createPeopleForceSimulator({ seed: false, clock: () => Date.UTC(2026, 0, 14, 10) });
  sim.hire({ first_name: 'Only', last_name: 'One', email: 'only.one@example.com', hired_on: '2025-01-01' });
  assert.match(trickleStep(sim, scripted(0.7)), /^hired /);
});

test('files a leave request, and approves a pending one on the highest roll', () => {
  const { sim } = setup();
  assert.match(trickleStep(sim, scripted(0.8)), /asked for/);
  assert.match(trickleStep(sim, scripted(0.95)), /^approved leave request/);
});

test('keeps making valid changes over many steps', () => {
  const { sim, clock } = setup();
  const random = seeded(42);
  for (let i = 0; i < 300; i++) {
    sim.runNightly();
    trickleStep(sim, random);
    clock.advance(3_600_000);
  }
  const snapshot = sim.snapshot();
  assert.ok(snapshot.employees.length > 25);
  assert.ok(snapshot.employees.some((e) => e.employment_type?.name === 'Contractor' && e.id > 133724));
  assert.ok(snapshot.employees.filter((e) => e.status === 'dismissed').length > 1);
  assert.ok(snapshot.leaveRequests.length > 6);
  assert.ok(snapshot.employees.filter((e) => e.active).length >= 15);
});

test('makes a change every interval until stopped', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const { sim } = setup();
  const changes: string[] = [];
  const before = JSON.stringify(sim.snapshot().employees);
  const stop = startTrickle(sim, { everyMs: 50, random: seeded(7), onChange: (c) => changes.push(c) });
  t.mock.timers.tick(50);
  t.mock.timers.tick(50);
  t.mock.timers.tick(50);
  assert.equal(changes.length, 3);
  assert.notEqual(JSON.stringify(sim.snapshot().employees), before);
  stop();
  t.mock.timers.tick(500);
  assert.equal(changes.length, 3);
});

test('reports a step that fails and keeps going', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const { sim } = setup();
  const errors: unknown[] = [];
  // A NaN "random" picks nothing, so every step throws.
  const stop = startTrickle(sim, { everyMs: 10, random: () => Number.NaN, onError: (e) => errors.push(e) });
  t.mock.timers.tick(10);
  t.mock.timers.tick(10);
  stop();
  assert.equal(errors.length, 2);
});
