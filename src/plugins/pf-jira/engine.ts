import type { PluginContext } from '../plugin-api.js';
import { createConnectionService } from './connections/connection-service.js';
import { createEntityRepository } from './db/entity-repository.js';
import { createEventRepository } from './db/event-repository.js';
import { createLinkRepository } from './db/link-repository.js';
import { pluginDb } from './db/plugin-db.js';
import { createStateRepository } from './db/state-repository.js';
import { createDeadLetters } from './events/dead-letters.js';
import type { AdviceLinks } from './events/delivery-advice.js';
import { createEventService } from './events/event-service.js';
import { createEventTrace } from './events/event-trace.js';
import { createIntake } from './events/intake.js';
import { createCreatemetaService } from './jira/createmeta-service.js';
import { explainJiraErrors, resolveFields } from './jira/field-resolver.js';
import type { JiraClient } from './jira/jira-client.js';
import { emailLookup } from './jira/user-values.js';
import { createPollProgress } from './peopleforce/poll-progress.js';
import { pollReport } from './peopleforce/poll-report.js';
import { createPoller, POLL_STATE, type PollSummary } from './peopleforce/poller.js';
import { createRuleEditor } from './rules/rule-editor-service.js';
import { createRulePreview } from './rules/rule-preview.js';
import { createRuleService } from './rules/rule-service.js';
import { createValidationRunner } from './rules/validation-runner.js';
import { settingsReader } from './settings.js';
import { createConnectionStatus } from './sync/connection-status.js';
import { FALLBACK_MAPPINGS } from './sync/fallback-mappings.js';
import { createIssueSync } from './sync/issue-sync.js';
import { createReverseSweep, type SweepSummary } from './sync/reverse-sweep.js';
import { createRouteTask } from './sync/route-task.js';
import { pfRoutes } from './web/pf-routes.js';
import { routes } from '../../web/route-names.js';

export const REFRESH_CACHE_TASK = 'pf-jira.refresh_cache';
export const VALIDATE_RULE_TASK = 'pf-jira.validate_rule';
export const VALIDATE_ALL_TASK = 'pf-jira.validate_routing_rules';
export const PRUNE_EVENTS_TASK = 'pf-jira.prune_events';
export const POLL_NOW_TASK = 'pf-jira.poll_now';
/** Every key pf-jira stores in the platform cache starts with this (Jira metadata, see createmetaKeys). */
const CACHE_PREFIX = 'pf-jira:';
/** Where the last reverse sweep's summary is kept. */
export const SWEEP_STATE = 'sweep.last_summary';
/** Manual polls share the tick's queue, so a poll never runs twice at once. */
export const POLL_QUEUE = 'tick:pf-jira';

/** Attempts a sync gets before its events are dead; with backoff this spans about a day. */
const SYNC_MAX_ATTEMPTS = 12;
/** How many recent events validation looks through for one its rule would take. */
const SAMPLE_SEARCH_DEPTH = 200;
/** How long a sync waits after Jira refused the credentials or none are set, before trying again. */
const CONNECTION_RETRY_MS = 5 * 60_000;

/**
 * The plugin's composition root: builds every pf-jira service over the
 * platform's context. plugin.ts registers what this returns.
 */
export const createEngine = (ctx: PluginContext) => {
  const reader = settingsReader(ctx.domainConfig);
  const db = pluginDb(ctx.db);
  const eventRepo = createEventRepository(db);
  const links = createLinkRepository(db);
  const state = createStateRepository(db);
  const status = createConnectionStatus(state, ctx.clock, ctx.events);
  const connections = createConnectionService({ reader, domainConfig: ctx.domainConfig, status, logger: ctx.logger.child({ component: 'upstream' }) });

  const requireJira = (): JiraClient => {
    const client = connections.jira();
    if (!client) throw new Error('The Jira connection is not configured (site URL, email and API token on the Connections page).');
    return client;
  };
  const queueCacheRefresh = (key: string): void => {
    ctx.queue.addJob(REFRESH_CACHE_TASK, { key }, { jobKey: `pf-jira:refresh:${key}`, jobKeyMode: 'replace', pool: 'ui_fast', maxAttempts: 3 }).catch((err: unknown) => ctx.logger.warn({ key, err }, 'could not queue a cache refresh'));
  };
  const createmeta = createCreatemetaService({
    cache: ctx.cache,
    client: requireJira,
    policy: () => {
      const s = reader.settings();
      return { freshMs: s.createmetaFreshSeconds * 1000, maxStaleMs: s.createmetaMaxStaleSeconds * 1000 };
    },
    revalidate: queueCacheRefresh,
  });
  // The diagnostics page's "Refresh" reaches Jira through the same job as a stale read does.
  ctx.cache.registerRefresher(CACHE_PREFIX, queueCacheRefresh);

  const rules = createRuleService({
    handle: ctx.db,
    tx: ctx.tx,
    audit: ctx.audit,
    clock: ctx.clock,
    onSaved: (rule) => {
      ctx.queue.addJob(VALIDATE_RULE_TASK, { ruleId: rule.id }, { jobKey: `pf-jira:validate:${rule.id}`, jobKeyMode: 'replace', pool: 'ui_fast', maxAttempts: 5 }).catch((err: unknown) => ctx.logger.warn({ ruleId: rule.id, err }, 'could not queue rule validation'));
    },
    onChanged: (change) => ctx.events.emit('pf-jira.rules.changed', change),
  });
  const validation = createValidationRunner({
    rules,
    deps: {
      // Validation judges the rule against Jira as it is now, so it reloads the project rather than trusting the cache.
      issueTypes: async (projectKey) => {
        createmeta.purgeProject(projectKey);
        return (await createmeta.issueTypes(projectKey)).value;
      },
      fields: async (projectKey, issueTypeId) => (await createmeta.fields(projectKey, issueTypeId)).value,
      resolveFields: (input) => resolveFields(input),
      recentPayloads: (types) => eventRepo.recentPayloads(types, SAMPLE_SEARCH_DEPTH),
    },
    events: ctx.events,
    logger: ctx.logger.child({ component: 'rule-validation' }),
    clock: ctx.clock,
  });

  const pollProgress = createPollProgress(ctx.events, ctx.clock);
  const intake = createIntake({ events: eventRepo, queue: ctx.queue, tx: ctx.tx, clock: ctx.clock, logger: ctx.logger });
  const poller = createPoller({
    client: () => {
      const client = connections.peopleforce();
      if (!client) throw new Error('The PeopleForce connection is not configured (URL and API key on the Connections page).');
      return client;
    },
    entities: createEntityRepository(db),
    intake,
    settings: () => reader.settings(),
    clock: ctx.clock,
    state,
    onProgress: (progress) => pollProgress.report(progress),
  });

  const route = createRouteTask({ events: eventRepo, rules: () => rules.compiled(), settings: () => reader.settings(), queue: ctx.queue, tx: ctx.tx, clock: ctx.clock, bus: ctx.events, syncMaxAttempts: SYNC_MAX_ATTEMPTS });
  const sync = createIssueSync({
    events: eventRepo,
    links,
    mappingsFor: (decision) => {
      if (decision.via !== 'rule' || decision.ruleId === null) return FALLBACK_MAPPINGS;
      const current = rules.find(decision.ruleId);
      if (current) return current.mappings;
      return rules.version(decision.ruleId, decision.ruleVersion ?? 1).snapshot.mappings;
    },
    createmeta,
    resolve: (input) => resolveFields(input),
    explain: explainJiraErrors,
    jira: () => connections.jira(),
    connection: { ok: () => status.ok('jira'), failing: (message) => status.failing('jira', message) },
    settings: () => reader.settings(),
    tx: ctx.tx,
    clock: ctx.clock,
    bus: ctx.events,
    connectionRetryMs: CONNECTION_RETRY_MS,
  });
  const sweep = createReverseSweep({
    jira: () => connections.jira(),
    links,
    projects: () => [...new Set([...rules.list().flatMap((r) => (r.action === 'SYNC' && r.projectKey ? [r.projectKey] : [])), ...reader.settings().fallbackProjects])],
    entityExists: async (entityKey) => {
      const [type, id] = entityKey.split(':');
      const client = connections.peopleforce();
      if (!client || type !== 'employee' || !id || !/^\d+$/.test(id)) return undefined;
      return (await client.getEmployee(Number(id))) !== undefined;
    },
    settings: () => reader.settings(),
    clock: ctx.clock,
    bus: ctx.events,
    logger: ctx.logger.child({ component: 'reverse-sweep' }),
  });
  // Counts rule changes and validation results, so a live page can tell whether it is behind.
  let rulesRevision = 0;
  ctx.events.on('pf-jira.rules.changed', () => rulesRevision++);
  ctx.events.on('pf-jira.rule.validation', () => rulesRevision++);

  const ruleEditor = createRuleEditor({ rules, jira: createmeta.cached });
  const rulePreview = createRulePreview({
    editor: ruleEditor,
    rules,
    event: (id) => eventRepo.get(id),
    recentEvents: (limit) => eventRepo.list({ limit }),
    settings: () => reader.settings(),
    issueTypes: async (projectKey) => (await createmeta.issueTypes(projectKey)).value,
    fields: async (projectKey, issueTypeId) => (await createmeta.fields(projectKey, issueTypeId)).value,
    resolve: (input) => resolveFields(input),
    users: () => {
      const client = connections.jira();
      return client ? emailLookup((query) => client.findUsers(query)) : undefined;
    },
  });
  const events = createEventService({ repo: eventRepo, links, intake, audit: ctx.audit, tx: ctx.tx });
  // Fix suggestions point at the page where the fix is made.
  const adviceLinks: AdviceLinks = { ruleEdit: pfRoutes.ruleEdit, fallbackSettings: `${routes.settings}#domain-${ctx.name}`, connections: pfRoutes.connections };
  const trace = createEventTrace({ repo: eventRepo, links, rules, jobByKey: (key) => ctx.queue.jobByKey(key), adviceLinks, syncMaxAttempts: SYNC_MAX_ATTEMPTS });
  const deadLetters = createDeadLetters({ repo: eventRepo, rules, queue: ctx.queue, audit: ctx.audit, tx: ctx.tx, clock: ctx.clock, adviceLinks, syncMaxAttempts: SYNC_MAX_ATTEMPTS });

  return {
    reader,
    eventRepo,
    links,
    state,
    status,
    connections,
    createmeta,
    rules,
    ruleEditor,
    rulePreview,
    rulesRevision: (): number => rulesRevision,
    validation,
    intake,
    poller,
    route,
    sync,
    sweep,
    events,
    trace,
    deadLetters,
    lastPoll: (): PollSummary | undefined => state.get<PollSummary>(POLL_STATE.lastSummary),
    /** The Sync now panel: a poll queued or under way, and the last run with what became of its events. */
    pollReport: () => pollReport({ progress: pollProgress.current, lastPoll: () => state.get<PollSummary>(POLL_STATE.lastSummary), countByCorrelation: eventRepo.countByCorrelation }),
    lastSweep: (): SweepSummary | undefined => state.get<SweepSummary>(SWEEP_STATE),
    /** Runs the nightly validation now, on the fast pool. */
    validateAllNow: () => ctx.queue.addJob(VALIDATE_ALL_TASK, {}, { jobKey: 'pf-jira:validate-all', jobKeyMode: 'replace', pool: 'ui_fast', maxAttempts: 3 }),
    /** Queues one poll now on the fast pool, whatever the master switch says (an admin asked for it). */
    pollNow: async () => {
      // Marked before queueing: the job may start (and clear the mark) before addJob returns.
      pollProgress.queued();
      try {
        return await ctx.queue.addJob(POLL_NOW_TASK, {}, { jobKey: 'pf-jira:poll-now', jobKeyMode: 'replace', queueName: POLL_QUEUE, pool: 'ui_fast', maxAttempts: 1 });
      } catch (err) {
        pollProgress.unqueued();
        throw err;
      }
    },
  };
};

export type Engine = ReturnType<typeof createEngine>;
