import type { AuditQuery, AuditRepository, AuditRow } from '../db/repositories/audit-repository.js';
import type { Actor } from './actor.js';
import type { Clock } from './clock.js';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_KEY_RE = /pass(word)?|secret|token|api[_-]?key|hash/i;
const CHANGED = '[changed]';

/** Secrets never enter the audit trail: a changed secret is recorded as "[changed]", never its value. */
export const redactForAudit = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(redactForAudit);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      // Empty values and the "[changed]" marker reveal nothing, and keep the entry telling what happened.
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY_RE.test(k) ? (v === null || v === undefined || v === '' || v === CHANGED ? v : '[redacted]') : redactForAudit(v)]),
    );
  }
  return value;
};

const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(redactForAudit(value)));

export interface AuditPage {
  rows: AuditRow[];
  total: number;
  actions: string[];
}

export const createAuditService = (repo: AuditRepository, clock: Clock) => ({
  record(actor: Actor, entry: AuditEntry): void {
    repo.insert({
      at: clock.now(),
      actorId: actor.userId,
      actorEmail: actor.email,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId === undefined || entry.targetId === null ? null : String(entry.targetId),
      before: toJson(entry.before),
      after: toJson(entry.after),
      ip: actor.ip,
      requestId: actor.requestId,
    });
  },
  search(query: AuditQuery): AuditPage {
    return { ...repo.search(query), actions: repo.distinctActions() };
  },
  pruneOlderThan(cutoff: number): number {
    return repo.deleteOlderThan(cutoff);
  },
});

export type AuditService = ReturnType<typeof createAuditService>;
