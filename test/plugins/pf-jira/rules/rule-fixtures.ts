import { createAuditRepository } from '../../../../src/db/repositories/audit-repository.js';
import { transactionRunner } from '../../../../src/db/transaction.js';
import type { Actor } from '../../../../src/platform/actor.js';
import { createAuditService } from '../../../../src/platform/audit.js';
import { ManualClock } from '../../../../src/platform/clock.js';
import { createRuleService } from '../../../../src/plugins/pf-jira/rules/rule-service.js';
import type { Rule, RuleInput } from '../../../../src/plugins/pf-jira/rules/rule-types.js';
import { migratedDb } from '../../../helpers/db.js';

export const admin: Actor = { userId: 1, email: 'admin@example.com', role: 'admin', ip: '10.0.0.1', requestId: 'req-1' };
export const otherAdmin: Actor = { userId: 3, email: 'bob@example.com', role: 'admin', ip: null, requestId: null };
export const operator: Actor = { userId: 2, email: 'ops@example.com', role: 'operator', ip: null, requestId: null };
export const viewer: Actor = { userId: 4, email: 'viewer@example.com', role: 'viewer', ip: null, requestId: null };

/** A typical SYNC rule: contractors into HR as Tasks. */
export const ruleInput = (over: Partial<RuleInput> = {}): RuleInput => ({
  name: 'Contractors',
  priority: 10,
  enabled: true,
  action: 'SYNC',
  eventTypes: ['employee_create'],
  match: 'all',
  conditions: [{ path: '$.employment_type.name', operator: 'equals', value: 'Contractor' }],
  projectKey: 'HR',
  issueTypeId: '10001',
  issueTypeName: 'Task',
  boardId: null,
  boardName: null,
  mappings: [{ fieldId: 'summary', sourceType: 'TEMPLATE', value: 'New contractor: {{ full_name }}' }],
  ...over,
});

export const rule = (over: Partial<Rule> = {}): Rule => ({
  ...ruleInput(),
  id: 1,
  version: 1,
  validationStatus: 'pending',
  validationErrors: [],
  validatedAt: null,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

/** A rule service over a fresh migrated database, recording what onSaved saw. */
export const serviceFixture = () => {
  const handle = migratedDb();
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 30));
  const audit = createAuditService(createAuditRepository(handle.db), clock);
  const saved: Rule[] = [];
  const service = createRuleService({ handle, tx: transactionRunner(handle), audit, clock, onSaved: (r) => saved.push(r) });
  return { handle, clock, audit, service, saved, close: () => handle.close() };
};
