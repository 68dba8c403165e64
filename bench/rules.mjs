#!/usr/bin/env node
// Rule evaluation benchmark: how many events per second the routing firewall decides with 1,000 rules.
// Uses the built code (dist/). Prints one JSON object on stdout; progress goes to stderr.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RULES = 1000;
const EVENTS = 2000;
const ROUNDS = 9;
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

if (!fs.existsSync(path.join(ROOT, 'dist', 'plugins', 'pf-jira', 'rules', 'rule-evaluator.js'))) {
  log('building dist/');
  if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
}
const { compileRuleSet } = await import(path.join(ROOT, 'dist', 'plugins', 'pf-jira', 'rules', 'rule-evaluator.js'));

// A seeded generator, so every run evaluates the same rules and events.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = (list) => list[Math.floor(random() * list.length)];

const DEPARTMENTS = ['Engineering', 'IT', 'Sales', 'Finance', 'HR', 'Operations', 'Legal', 'Support', 'Marketing', 'Design'];
const LOCATIONS = ['Kyiv', 'Lviv', 'Berlin', 'Remote', 'Warsaw', 'London'];
const TYPES = ['employee_create', 'employee_update', 'employee_terminate', 'employee_start'];

/** Realistic rule shapes: department and location routing, contractor drops, regexes on email, date bounds. */
const makeRule = (i) => {
  const kind = i % 5;
  const conditions =
    kind === 0 ? [{ path: '$.department.name', operator: 'equals', value: pick(DEPARTMENTS) + (i > 10 ? ` ${i}` : '') }]
    : kind === 1 ? [{ path: '$.location.name', operator: 'in', value: [pick(LOCATIONS), `Site ${i}`] }, { path: '$.department.name', operator: 'equals', value: `Team ${i}` }]
    : kind === 2 ? [{ path: '$.email', operator: 'matches', value: `^ops${i}\\.` }]
    : kind === 3 ? [{ path: '$.hired_on', operator: 'gt', value: '2030-01-01' }, { path: '$.custom["Shirt size"]', operator: 'equals', value: `X${i}` }]
    : [{ path: '$.employment_type.name', operator: 'equals', value: `Type ${i}` }];
  return {
    id: i + 1, version: 1, name: `Rule ${i + 1}`, priority: (i + 1) * 10, enabled: i % 17 !== 0, action: i % 7 === 0 ? 'DROP' : 'SYNC',
    eventTypes: i % 3 === 0 ? [] : [pick(TYPES), pick(TYPES)], match: i % 2 ? 'all' : 'any', conditions,
    projectKey: 'IT', issueTypeId: '10010', issueTypeName: 'Onboarding', mappings: [],
    validationStatus: 'valid', validationErrors: [], validatedAt: null, createdAt: 0, updatedAt: 0,
  };
};

const makeEvent = (i) => ({
  type: pick(TYPES),
  payload: {
    id: 133_700 + i, full_name: `Person ${i}`, email: `person${i}@example.com`, hired_on: `2026-0${1 + (i % 9)}-1${i % 9}`,
    department: { id: i % 10, name: pick(DEPARTMENTS) }, location: { id: i % 6, name: pick(LOCATIONS) },
    employment_type: { id: 1, name: i % 10 === 0 ? 'Contractor' : 'Full-Time' }, custom: { 'Shirt size': pick(['S', 'M', 'L']) },
  },
});

const events = Array.from({ length: EVENTS }, (_, i) => makeEvent(i));
const fallback = { noMatchAction: 'fallback', fallbackProject: 'OPS', fallbackIssueType: 'Task' };

/** Rules whose values never occur: every event walks all of them before the fallback takes it. */
const unmatched = (rule) => ({ ...rule, conditions: rule.conditions.map((c) => ({ ...c, value: Array.isArray(c.value) ? c.value.map((v) => `${v} (none)`) : c.operator === 'matches' ? `${c.value}none` : c.operator === 'gt' ? '2999-01-01' : `${c.value} (none)` })) });

const measure = (name, rules) => {
  const compileStarted = performance.now();
  const ruleSet = compileRuleSet(rules);
  const compileMs = performance.now() - compileStarted;
  const rates = [];
  const outcomes = { rule: 0, fallback: 0, no_match: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (const event of events) {
      const decision = ruleSet.evaluate(event, fallback);
      if (round === 0) outcomes[decision.via]++;
    }
    rates.push(EVENTS / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)];
  log(`${name}: median ${Math.round(median)} events/s`);
  return {
    compileMs: Math.round(compileMs * 10) / 10,
    evaluationsPerSecond: { min: Math.round(rates[0]), median: Math.round(median), max: Math.round(rates.at(-1)) },
    msPerEvent: Math.round((1000 / median) * 1000) / 1000,
    outcomes,
  };
};

const mixed = Array.from({ length: RULES }, (_, i) => makeRule(i));
console.log(JSON.stringify({
  node: process.version,
  rules: RULES,
  events: EVENTS,
  rounds: ROUNDS,
  // Worst case: no rule matches, so all 1,000 are tested for every event.
  noRuleMatches: measure('no rule matches', mixed.map(unmatched)),
  // Realistic mix: some events stop at an early department rule, the rest fall through.
  mixed: measure('mixed', mixed),
}));
