import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The event log: every inbound PeopleForce change, normalized, with the routing
 * decision and where it ended. Nothing is deleted on failure, so an admin can
 * always tell why an event did or did not produce an issue.
 */
export const pfjEvents = sqliteTable(
  'pfj_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** webhook | poll | replay */
    source: text('source').notNull(),
    /** PeopleForce's topic name, e.g. employee_create. */
    type: text('type').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    occurredAt: integer('occurred_at').notNull(),
    receivedAt: integer('received_at').notNull(),
    /** JSON: the normalized payload rules look into. */
    payload: text('payload').notNull(),
    /** Refuses a second copy of the same delivery (webhook body hash, or entity + updated_at when polled). */
    dedupeKey: text('dedupe_key'),
    /** received | routed | dropped | synced | failed | dead | discarded */
    status: text('status').notNull(),
    /** JSON Decision: action, rule id and version, reason, target. */
    decision: text('decision'),
    ruleId: integer('rule_id'),
    ruleVersion: integer('rule_version'),
    /** Which link the event syncs through: rule:<id> or fallback (null until routed to SYNC). */
    scope: text('scope'),
    issueKey: text('issue_key'),
    error: text('error'),
    /** JSON FieldProblem[]: the per-field reasons a sync was refused, for the dead-letter view. */
    problems: text('problems'),
    correlationId: text('correlation_id'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('pfj_events_dedupe_idx').on(t.dedupeKey),
    index('pfj_events_entity_idx').on(t.entityType, t.entityId, t.status),
    index('pfj_events_status_idx').on(t.status),
    index('pfj_events_scope_idx').on(t.entityType, t.entityId, t.scope, t.status),
    index('pfj_events_received_idx').on(t.receivedAt),
    index('pfj_events_type_idx').on(t.type, t.receivedAt),
  ],
);

export const pfjRules = sqliteTable(
  'pfj_rules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** Lower runs first; unique so the order is never ambiguous. */
    priority: integer('priority').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** SYNC | DROP */
    action: text('action').notNull(),
    /** JSON string[]: topics this rule considers; empty means every topic. */
    eventTypes: text('event_types').notNull(),
    /** all | any */
    match: text('match').notNull(),
    /** JSON Condition[] */
    conditions: text('conditions').notNull(),
    projectKey: text('project_key'),
    issueTypeId: text('issue_type_id'),
    issueTypeName: text('issue_type_name'),
    /** Optional Jira board (Agile) where the rule's issues are worked; shown and checked by validation. */
    boardId: integer('board_id'),
    boardName: text('board_name'),
    version: integer('version').notNull(),
    /** pending | validating | valid | invalid */
    validationStatus: text('validation_status').notNull(),
    /** JSON string[]: why the rule cannot produce a valid issue. */
    validationErrors: text('validation_errors').notNull(),
    validatedAt: integer('validated_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('pfj_rules_priority_idx').on(t.priority)],
);

export const pfjRuleMappings = sqliteTable(
  'pfj_rule_mappings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ruleId: integer('rule_id')
      .notNull()
      .references(() => pfjRules.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    fieldId: text('field_id').notNull(),
    /** STATIC | PF_PAYLOAD | TEMPLATE */
    sourceType: text('source_type').notNull(),
    value: text('value').notNull(),
  },
  (t) => [index('pfj_rule_mappings_rule_idx').on(t.ruleId, t.position)],
);

/** Every saved version of a rule, kept after the rule changes or is deleted, so past decisions stay explainable. */
export const pfjRuleVersions = sqliteTable(
  'pfj_rule_versions',
  {
    ruleId: integer('rule_id').notNull(),
    version: integer('version').notNull(),
    /** JSON: the rule and its mappings as saved. */
    snapshot: text('snapshot').notNull(),
    savedBy: text('saved_by'),
    savedAt: integer('saved_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.version] })],
);

/**
 * Which Jira issue stands for an entity under one scope (a rule, or the fallback).
 * A row in state `pending` is an intent to create, written before Jira is called,
 * so a crash between Jira's answer and our commit is found and resolved later.
 */
export const pfjLinks = sqliteTable(
  'pfj_links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** e.g. employee:133710 */
    entityKey: text('entity_key').notNull(),
    /** rule:<id> or fallback */
    scope: text('scope').notNull(),
    projectKey: text('project_key').notNull(),
    /** pending | linked */
    state: text('state').notNull(),
    clientToken: text('client_token').notNull(),
    issueId: text('issue_id'),
    issueKey: text('issue_key'),
    ruleId: integer('rule_id'),
    ruleVersion: integer('rule_version'),
    intentAt: integer('intent_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('pfj_links_entity_scope_idx').on(t.entityKey, t.scope), index('pfj_links_issue_idx').on(t.issueKey)],
);

/** What polling last saw of each PeopleForce record, to tell a create from an update from nothing new. */
export const pfjEntities = sqliteTable('pfj_entities', {
  entityKey: text('entity_key').primaryKey(),
  updatedAt: text('updated_at').notNull(),
  hash: text('hash').notNull(),
  terminated: integer('terminated', { mode: 'boolean' }).notNull(),
  lastSeenAt: integer('last_seen_at').notNull(),
});

/** Small named values the engine keeps between runs (poll cursor, connection status, last sync summary). */
export const pfjState = sqliteTable('pfj_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
