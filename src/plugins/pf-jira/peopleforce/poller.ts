import { createHash } from 'node:crypto';
import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/logger.js';
import type { EntityRepository, EntitySnapshot } from '../db/entity-repository.js';
import type { StateRepository } from '../db/state-repository.js';
import { entityKeyOf, type EntityType } from '../events/envelope.js';
import type { Intake } from '../events/intake.js';
import type { PfJiraSettings } from '../settings.js';
import { normalizeEmployee, normalizeLeaveRequest, utcDay, type NormalizedEmployee, type NormalizedLeaveRequest } from './normalize.js';
import type { PollerProgress } from './poll-progress.js';
import { MAX_PAGE_SIZE, type PeopleForceClient, type PfPage, type PfRecord } from './peopleforce-client.js';
import { stableJson } from '../../../platform/stable-json.js';

/**
 * State keys. Baseline and cursor are kept per entity type, because leave
 * requests can be switched on long after employees were first polled.
 */
export const POLL_STATE = {
  /** { employee?: ms, leave_request?: ms }: when the first full pass of each type finished. */
  baselineAt: 'poll.baseline_at',
  /** { employee?: iso, leave_request?: iso }: the newest updated_at seen (for display; every pass reads all pages). */
  cursor: 'poll.cursor',
  lastSummary: 'poll.last_summary',
} as const;

type PerType<T> = Partial<Record<EntityType, T>>;

export interface PollSummary {
  at: number;
  /** Records read. */
  seen: number;
  /** Events emitted, by kind (leave request approve/reject/withdraw count as updated). */
  created: number;
  updated: number;
  terminated: number;
  reverted: number;
  /** Records that produced no event. */
  unchanged: number;
  /** Records recorded silently by a baseline pass. */
  baselined: number;
  pages: number;
  ms: number;
  /** False when the pass was cut short (shutdown or an error); the next pass reads everything again. */
  complete: boolean;
  error?: string;
}

/**
 * Left out of the hash: fields that change without the record changing (avatar
 * URLs are re-signed; updated_at moves on edits to fields we do not see), and
 * status/active, which follow the calendar (probation ending, a hire date
 * arriving) with no edit in PeopleForce and would otherwise give an update
 * for every such day. Termination is tracked by its own flag instead.
 */
const VOLATILE = new Set(['updated_at', 'avatar_url', 'status', 'active']);

export const contentHash = (payload: Record<string, unknown>): string =>
  createHash('sha256')
    .update(stableJson(Object.fromEntries(Object.entries(payload).filter(([k]) => !VOLATILE.has(k)))))
    .digest('hex');

/** Gone or going: dismissed, or the termination date has been reached (PeopleForce fires employee_terminate then too). */
export const isTerminated = (employee: NormalizedEmployee, now: number): boolean =>
  employee.status === 'dismissed' || (employee.termination_effective_date !== null && employee.termination_effective_date <= utcDay(now));

const employeeEvents = (previous: EntitySnapshot, terminated: boolean): string[] => {
  if (!previous.terminated && terminated) return ['employee_terminate'];
  if (previous.terminated && !terminated) return ['employee_termination_revert'];
  return ['employee_update'];
};

const LEAVE_STATE_EVENTS: ReadonlyMap<string, string> = new Map([
  ['approved', 'leave_request_approve'],
  ['rejected', 'leave_request_reject'],
  ['withdrawn', 'leave_request_withdraw'],
  ['cancelled', 'leave_request_withdraw'],
]);

/**
 * Polling keeps only a hash per record, not its previous state, so a changed
 * leave request is reported by the state it is in now: a decided request that
 * is edited again gives its decision event again, once per updated_at.
 */
const leaveStateEvents = (leave: NormalizedLeaveRequest): string[] => {
  const event = leave.state === null ? undefined : LEAVE_STATE_EVENTS.get(leave.state);
  return event ? [event] : [];
};

/** A record as read, with the events it gives when first seen and when it changed. */
interface Observation {
  payload: NormalizedEmployee | NormalizedLeaveRequest;
  terminated: boolean;
  onCreate: string[];
  onChange: (previous: EntitySnapshot) => string[];
}

const observeEmployee = (raw: PfRecord, now: number): Observation => {
  const payload = normalizeEmployee(raw, now);
  const terminated = isTerminated(payload, now);
  return { payload, terminated, onCreate: ['employee_create'], onChange: (previous) => employeeEvents(previous, terminated) };
};

const observeLeaveRequest = (raw: PfRecord): Observation => {
  const payload = normalizeLeaveRequest(raw);
  // The terminated flag is an employee notion; leave requests are told apart by hash alone.
  return { payload, terminated: false, onCreate: ['leave_request_create', ...leaveStateEvents(payload)], onChange: () => leaveStateEvents(payload) };
};

const COUNTERS: Record<string, 'created' | 'updated' | 'terminated' | 'reverted'> = {
  employee_create: 'created',
  leave_request_create: 'created',
  employee_terminate: 'terminated',
  employee_termination_revert: 'reverted',
};

export interface PollerDeps {
  /** Built per pass from the current settings and API key. */
  client: () => PeopleForceClient;
  entities: EntityRepository;
  intake: Intake;
  settings: () => Pick<PfJiraSettings, 'pollLeaveRequests'>;
  clock: Clock;
  state: StateRepository;
  /** Told when a pass starts, after each page, and when it ends (also when it fails). */
  onProgress?: (progress: PollerProgress) => void;
}

/**
 * One polling pass: read every employee (and leave request, when switched on),
 * compare each with what the last pass saw, and emit the PeopleForce topic a
 * webhook would have sent. Until a pass of a type has read every page once
 * (`poll.baseline_at` has no entry for it), records it has not seen before are
 * stored without an event: turning polling on (or leave requests later) must
 * not open an issue for every existing record. Records already stored by a
 * cut-short baseline are compared as usual. A pass that runs twice emits
 * nothing the second time (same hashes, same dedupe keys).
 */
export const createPoller = (deps: PollerDeps) => ({
  async poll(ctx: { signal: AbortSignal; log: Logger }): Promise<PollSummary> {
    const started = performance.now();
    const startedAt = deps.clock.now();
    const correlationId = `poll:${startedAt}`;
    const summary: PollSummary = { at: startedAt, seen: 0, created: 0, updated: 0, terminated: 0, reverted: 0, unchanged: 0, baselined: 0, pages: 0, ms: 0, complete: false };
    const baselines = deps.state.get<PerType<number>>(POLL_STATE.baselineAt) ?? {};
    const cursor = deps.state.get<PerType<string>>(POLL_STATE.cursor) ?? {};
    const progress = (running: boolean): void => deps.onProgress?.({ running, startedAt, pages: summary.pages, seen: summary.seen });
    progress(true);

    const observe = (entityType: EntityType, raw: PfRecord, baseline: boolean): void => {
      const now = deps.clock.now();
      const entityId = String(raw.id);
      const entityKey = entityKeyOf({ entityType, entityId });
      const { payload, terminated, onCreate, onChange } = entityType === 'employee' ? observeEmployee(raw, now) : observeLeaveRequest(raw);
      const hash = contentHash(payload);
      const previous = deps.entities.get(entityKey);
      const unchanged = previous?.hash === hash && previous.terminated === terminated;
      const types = !previous ? (baseline ? [] : onCreate) : unchanged ? [] : onChange(previous);

      const updatedAt = payload.updated_at ?? '';
      const occurredAt = Date.parse(updatedAt);
      for (const type of types) {
        deps.intake.record(
          { source: 'poll', type, entityType, entityId, occurredAt: Number.isNaN(occurredAt) ? now : occurredAt, payload },
          { dedupeKey: `poll:${entityKey}:${updatedAt}:${type}`, correlationId, log: ctx.log },
        );
        summary[COUNTERS[type] ?? 'updated']++;
      }
      summary.seen++;
      if (!previous && baseline) summary.baselined++;
      else if (!types.length) summary.unchanged++;
      const newest = cursor[entityType];
      if (!Number.isNaN(occurredAt) && (newest === undefined || occurredAt > Date.parse(newest))) cursor[entityType] = updatedAt;
      deps.entities.upsert({ entityKey, updatedAt, hash, terminated, lastSeenAt: now });
    };

    const pass = async (entityType: EntityType, pages: AsyncGenerator<PfPage>): Promise<void> => {
      const baseline = baselines[entityType] === undefined;
      const before = summary.baselined;
      for await (const page of pages) {
        summary.pages++;
        for (const raw of page.data) observe(entityType, raw, baseline);
        progress(true);
      }
      if (baseline) {
        baselines[entityType] = deps.clock.now();
        deps.state.set(POLL_STATE.baselineAt, baselines, deps.clock.now());
        ctx.log.info({ entityType, records: summary.baselined - before }, 'peopleforce poll baseline recorded');
      }
    };

    let failure: unknown;
    try {
      const client = deps.client();
      const call = { log: ctx.log, signal: ctx.signal };
      await pass('employee', client.employeePages({ perPage: MAX_PAGE_SIZE }, call));
      if (deps.settings().pollLeaveRequests) await pass('leave_request', client.leaveRequestPages({ perPage: MAX_PAGE_SIZE }, call));
      summary.complete = true;
    } catch (err) {
      // A shutdown mid-pass is not a failure: what was read is kept and the next pass starts over.
      if (!ctx.signal.aborted) {
        failure = err;
        summary.error = err instanceof Error ? err.message : String(err);
      }
    }
    summary.ms = Math.round(performance.now() - started);
    const now = deps.clock.now();
    deps.state.set(POLL_STATE.cursor, cursor, now);
    deps.state.set(POLL_STATE.lastSummary, summary, now);
    ctx.log.info({ ...summary }, 'peopleforce poll finished');
    progress(false);
    if (failure !== undefined) throw failure;
    return summary;
  },
});

export type Poller = ReturnType<typeof createPoller>;
