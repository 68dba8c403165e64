import { randomUUID } from 'node:crypto';
import type { RunInTransaction } from '../../../db/transaction.js';
import { PermanentJobError, RetryLaterError, type JobHelpers } from '../../../jobs/index.js';
import type { Clock } from '../../../platform/clock.js';
import type { EventBus } from '../../../platform/events.js';
import type { Logger } from '../../../platform/logger.js';
import { isUpstreamError } from '../../../platform/upstream-error.js';
import type { EventRepository, EventStatus, StoredEvent } from '../db/event-repository.js';
import type { Link, LinkRepository } from '../db/link-repository.js';
import { entityKeyOf } from '../events/envelope.js';
import type { FieldMeta, IssueBody } from '../jira/jira-types.js';
import type { Decision, FieldMapping } from '../rules/rule-types.js';
import { emailLookup } from '../jira/user-values.js';
import { entityLabel, type PfJiraSettings } from '../settings.js';
import { findCreatedIssue } from './intent-resolver.js';
import { buildIssueBody } from './issue-body.js';
import { mappingPayload } from './mapping-payload.js';
import './sync-events.js';
import type { ExplainJiraErrors, FieldProblem, Resolve, SyncCreatemeta, SyncJira, SyncProperty } from './sync-types.js';

export interface SyncJobPayload {
  entityType: string;
  entityId: string;
  scope: string;
}

export interface IssueSyncDeps {
  events: EventRepository;
  links: LinkRepository;
  /** The mappings the decision's rule has now (or had at that version, if it was deleted); fallback mappings for the fallback. */
  mappingsFor(decision: Decision): FieldMapping[];
  createmeta: SyncCreatemeta;
  resolve: Resolve;
  explain: ExplainJiraErrors;
  /** undefined while the Jira connection is not configured. */
  jira(): SyncJira | undefined;
  connection: { ok(): void; failing(message: string): void };
  settings(): PfJiraSettings;
  tx: RunInTransaction;
  clock: Clock;
  bus: EventBus;
  /** How long to wait before trying again when the connection is missing or refused. */
  connectionRetryMs: number;
}

interface Outcome {
  status: Extract<EventStatus, 'synced' | 'dropped'>;
  issueKey: string | null;
  error: string | null;
}

const describeProblems = (problems: FieldProblem[]): string => problems.map((p) => `${p.fieldName}: ${p.message}`).join(' ');

/** The mappings cannot fill the create screen; worth one refresh of the screen when it came from the cache. */
class MappingProblems extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(describeProblems(problems));
  }
}

/** A final refusal that keeps its per-field reasons, so the dead-letter view can say what to change. */
class SyncRefused extends PermanentJobError {
  constructor(
    message: string,
    readonly problems: FieldProblem[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const asFinal = (err: unknown): unknown => (err instanceof MappingProblems ? new SyncRefused(err.message, err.problems) : err);

const problemsOf = (err: unknown): FieldProblem[] | null => (err instanceof SyncRefused || err instanceof MappingProblems ? err.problems : null);

/**
 * Brings the Jira issue for one (entity, scope) in line with the latest routed
 * event. Idempotent, including across a crash: the intent to create is stored
 * before Jira is called, and an unfinished intent is resolved by searching
 * Jira for the entity label before anything is created again.
 */
export const createIssueSync = (deps: IssueSyncDeps) => {
  const sync = async (event: StoredEvent, scope: string, log: Logger): Promise<Outcome> => {
    const decision = event.decision;
    if (!decision?.projectKey) throw new PermanentJobError(`event ${event.id} has no SYNC decision with a target project`);
    const jira = deps.jira();
    if (!jira) throw new RetryLaterError('The Jira connection is not configured (site URL, email and API token on the Connections page).', deps.connectionRetryMs);
    const settings = deps.settings();
    const projectKey = decision.projectKey;
    const entityKey = entityKeyOf(event);
    const label = entityLabel(settings.entityLabelPrefix, entityKey);
    const issueTypeId = decision.issueTypeId ?? (await deps.createmeta.issueTypeByName(projectKey, decision.issueTypeName ?? ''))?.id;
    if (!issueTypeId) throw new PermanentJobError(`Jira project ${projectKey} has no issue type "${decision.issueTypeName ?? '?'}".`);
    const mappings = deps.mappingsFor(decision);
    const payload = mappingPayload(event);
    const users = emailLookup((query) => jira.findUsers(query, { log }));

    const body = async (fields: FieldMeta[], mode: 'create' | 'edit', clientToken: string): Promise<IssueBody> => {
      const resolved = await deps.resolve({ mappings, payload, fields, users });
      const property: SyncProperty = { entityKey, scope, clientToken, source: 'switchyard' };
      const built = buildIssueBody({ resolved, screen: fields, mode, projectKey, issueTypeId, engineLabels: [settings.trackingLabel, label], propertyKey: settings.issuePropertyKey, property });
      if (built.problems.length) throw new MappingProblems(built.problems);
      return built.body;
    };

    /**
     * The 400 trap: Jira refusing a body, or our mappings not fitting the cached
     * create screen, usually means the schema changed. Refresh it once and try
     * again; a second failure is final, with the per-field reasons.
     */
    const withSchemaRetry = async <T>(call: (fields: FieldMeta[]) => Promise<T>): Promise<T> => {
      const cached = await deps.createmeta.fields(projectKey, issueTypeId);
      try {
        return await call(cached.value);
      } catch (err) {
        const refused = isUpstreamError(err) && err.status === 400;
        // Problems found against metadata loaded this very moment will not go away by loading it again.
        if (!refused && !(err instanceof MappingProblems && cached.source !== 'upstream')) throw asFinal(err);
        log.warn({ project: projectKey, issueType: issueTypeId, error: (err as Error).message }, 'issue does not fit the cached create screen; refreshing it and retrying once');
        deps.createmeta.purgeProject(projectKey);
        const fresh = (await deps.createmeta.fields(projectKey, issueTypeId)).value;
        try {
          return await call(fresh);
        } catch (again) {
          if (isUpstreamError(again) && again.status === 400) {
            const problems = deps.explain(again.fieldErrors, fresh);
            throw new SyncRefused(`Jira refused the issue twice, with fresh create metadata. ${problems.length ? describeProblems(problems) : again.message}`, problems, { cause: again });
          }
          throw asFinal(again);
        }
      }
    };

    const update = async (link: Link, issueKey: string): Promise<Outcome | 'gone'> => {
      try {
        await withSchemaRetry(async (fields) => jira.editIssue(issueKey, await body(fields, 'edit', link.clientToken), { log }));
      } catch (err) {
        if (isUpstreamError(err) && err.status === 404) return 'gone';
        throw err;
      }
      deps.links.touch(link.id, { ruleId: decision.ruleId, ruleVersion: decision.ruleVersion }, deps.clock.now());
      return { status: 'synced', issueKey, error: null };
    };

    const create = async (clientToken: string): Promise<Outcome> => {
      const intent = deps.links.recordIntent({ entityKey, scope, projectKey, clientToken, ruleId: decision.ruleId, ruleVersion: decision.ruleVersion, now: deps.clock.now() });
      let created: { id: string; key: string };
      try {
        created = await withSchemaRetry(async (fields) => jira.createIssue(await body(fields, 'create', clientToken), { log }));
      } catch (err) {
        // A definite refusal means nothing was created: drop the intent so a retry need not wait for the search index.
        if (err instanceof PermanentJobError || (isUpstreamError(err) && err.kind === 'http' && err.status < 500 && err.status !== 429 && err.status !== 408)) {
          deps.links.remove(intent.id);
        }
        throw err;
      }
      deps.links.confirm(intent.id, created, deps.clock.now());
      log.info({ entity: entityKey, scope, issue: created.key }, 'issue created');
      return { status: 'synced', issueKey: created.key, error: null };
    };

    let link = deps.links.get(entityKey, scope);
    if (link?.state === 'pending') {
      const found = await findCreatedIssue(jira, { projectKey: link.projectKey, entityLabel: label, propertyKey: settings.issuePropertyKey, clientToken: link.clientToken, entityKey, scope }, log);
      if (found) {
        deps.links.confirm(link.id, found, deps.clock.now());
        log.info({ entity: entityKey, scope, issue: found.key }, 'unfinished create resolved: the issue exists in Jira');
        link = deps.links.get(entityKey, scope);
      } else {
        const waited = deps.clock.now() - (link.intentAt ?? 0);
        const graceMs = settings.searchIndexGraceSeconds * 1000;
        if (waited < graceMs) {
          throw new RetryLaterError(`An earlier attempt may have created the issue; waiting for Jira's search index before creating it again (${Math.ceil((graceMs - waited) / 1000)} s left).`, graceMs - waited);
        }
        log.warn({ entity: entityKey, scope, waitedMs: waited }, 'unfinished create not found in Jira after the grace period; creating');
        return create(link.clientToken);
      }
    }
    if (link?.state === 'linked' && link.issueKey) {
      const result = await update(link, link.issueKey);
      if (result !== 'gone') return result;
      deps.links.remove(link.id);
      log.warn({ entity: entityKey, scope, issue: link.issueKey }, 'linked issue is gone from Jira; link purged');
      if (settings.ghostAction === 'drop') {
        return { status: 'dropped', issueKey: link.issueKey, error: `Jira issue ${link.issueKey} no longer exists (deleted, or this account cannot see it); the change was dropped, as the settings say.` };
      }
    }
    return create(randomUUID());
  };

  return async (rawPayload: unknown, helpers: JobHelpers): Promise<void> => {
    const { entityType, entityId, scope } = rawPayload as SyncJobPayload;
    const entityKey = `${entityType}:${entityId}`;
    const pending = deps.events.awaitingSync(entityType, entityId, scope);
    const latest = pending.at(-1);
    if (!latest) return;
    const ids = pending.map((e) => e.id);
    const finish = (status: EventStatus, issueKey: string | null, error: string | null, problems: FieldProblem[] | null = null) => {
      deps.events.setOutcome(ids, { status, issueKey, error, problems }, deps.clock.now());
      deps.bus.emit('pf-jira.sync', { entityKey, scope, status, issueKey, eventIds: ids });
    };
    try {
      const outcome = await sync(latest, scope, helpers.logger);
      deps.connection.ok();
      deps.tx(() => finish(outcome.status, outcome.issueKey, outcome.error));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isUpstreamError(err) && err.authFailure) {
        deps.connection.failing(message);
        finish(helpers.job.attempts >= helpers.job.maxAttempts ? 'dead' : 'failed', null, message);
        throw new RetryLaterError(message, Math.max(deps.connectionRetryMs, err.retryAfterMs ?? 0));
      }
      const final = err instanceof PermanentJobError || helpers.job.attempts >= helpers.job.maxAttempts;
      finish(final ? 'dead' : 'failed', null, message, problemsOf(err));
      throw err;
    }
  };
};
