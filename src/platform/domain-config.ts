import type { DomainConfigRepository, DomainConfigRow } from '../db/repositories/domain-config-repository.js';
import type { RunInTransaction } from '../db/transaction.js';
import { conflict, notFound, validationError, type FieldErrors } from '../errors.js';
import { assertRole, type Actor } from './actor.js';
import type { AuditService } from './audit.js';
import type { Clock } from './clock.js';
import type { EventBus } from './events.js';
import type { SecretBox } from './secrets.js';
import { defaultSettings, firstMessage, JIRA_PROJECT_KEY, settingSchema, type DomainDeclaration } from './settings-schema.js';

export interface DomainConfig {
  domain: string;
  enabled: boolean;
  pollIntervalSeconds: number;
  fallbackProjects: string[];
  /** Declared settings; secret settings appear as booleans saying whether a value is stored. */
  settings: Record<string, unknown>;
  version: number;
  updatedAt: number;
  updatedBy: string | null;
}

export interface DomainConfigUpdate {
  enabled?: unknown;
  pollIntervalSeconds?: unknown;
  fallbackProjects?: unknown;
  settings?: Record<string, unknown>;
  /** The version the editor saw; a different stored version means someone else saved first. */
  expectedVersion?: number;
}

const STANDARD_FIELDS = ['enabled', 'pollIntervalSeconds', 'fallbackProjects'] as const;

const parseStored = (row: DomainConfigRow): DomainConfig => ({
  domain: row.domain,
  enabled: row.enabled,
  pollIntervalSeconds: row.pollIntervalSeconds,
  fallbackProjects: JSON.parse(row.fallbackProjects) as string[],
  settings: JSON.parse(row.settings) as Record<string, unknown>,
  version: row.version,
  updatedAt: row.updatedAt,
  updatedBy: row.updatedBy,
});

const publicView = (decl: DomainDeclaration, stored: DomainConfig): DomainConfig => {
  const settings = { ...stored.settings };
  for (const def of decl.settings) if (def.type === 'secret') settings[def.key] = typeof stored.settings[def.key] === 'string';
  return { ...stored, settings };
};

interface Deps {
  repo: DomainConfigRepository;
  tx: RunInTransaction;
  audit: AuditService;
  secrets: SecretBox;
  clock: Clock;
  events: EventBus;
}

/**
 * One row per domain. Readers go through an in-memory copy that a save
 * replaces in the same tick, so a change takes effect without a restart.
 */
export const createDomainConfigService = ({ repo, tx, audit, secrets, clock, events }: Deps) => {
  const declarations = new Map<string, DomainDeclaration>();
  const cache = new Map<string, DomainConfig>();

  const declarationOf = (domain: string): DomainDeclaration => {
    const decl = declarations.get(domain);
    if (!decl) throw notFound(`There is no settings domain named "${domain}".`);
    return decl;
  };

  const load = (domain: string): DomainConfig => {
    const cached = cache.get(domain);
    if (cached) return cached;
    const row = repo.find(domain);
    if (!row) throw notFound(`There is no settings domain named "${domain}".`);
    const value = parseStored(row);
    cache.set(domain, value);
    return value;
  };

  const validate = (decl: DomainDeclaration, current: DomainConfig, input: DomainConfigUpdate): { next: DomainConfig; errors: FieldErrors } => {
    const errors: FieldErrors = {};
    const next: DomainConfig = { ...current, fallbackProjects: [...current.fallbackProjects], settings: { ...current.settings } };

    if (input.enabled !== undefined) {
      const r = settingSchema({ key: 'enabled', label: 'Enabled', help: '', type: 'boolean', default: false }).safeParse(input.enabled);
      if (r.success) next.enabled = r.data as boolean;
      else errors.enabled = firstMessage(r.error);
    }
    if (input.pollIntervalSeconds !== undefined) {
      const p = decl.polling;
      if (!p) errors.pollIntervalSeconds = 'This domain does not poll.';
      else {
        const r = settingSchema({ key: 'pollIntervalSeconds', label: 'Interval', help: '', type: 'integer', default: 0, min: p.minIntervalSeconds, max: p.maxIntervalSeconds, unit: 'seconds' }).safeParse(input.pollIntervalSeconds);
        if (r.success) next.pollIntervalSeconds = r.data as number;
        else errors.pollIntervalSeconds = firstMessage(r.error);
      }
    }
    if (input.fallbackProjects !== undefined) {
      if (!decl.fallbackProjects) errors.fallbackProjects = 'This domain has no fallback projects.';
      else {
        const r = settingSchema({ key: 'fallbackProjects', label: 'Fallback projects', help: '', type: 'list', default: [], itemPattern: JIRA_PROJECT_KEY.source, itemMessage: 'a Jira project key is 2-10 capital letters, digits or _ starting with a letter', maxItems: 20 }).safeParse(input.fallbackProjects);
        if (r.success) next.fallbackProjects = r.data as string[];
        else errors.fallbackProjects = firstMessage(r.error);
      }
    }
    for (const [key, raw] of Object.entries(input.settings ?? {})) {
      const def = decl.settings.find((s) => s.key === key);
      if (!def) {
        errors[`settings.${key}`] = `Unknown setting "${key}" for ${decl.title}.`;
        continue;
      }
      const r = settingSchema(def).safeParse(raw);
      if (!r.success) {
        errors[`settings.${key}`] = firstMessage(r.error);
        continue;
      }
      if (def.type === 'secret') {
        // A blank secret field means "keep what is stored": the form never shows the value.
        if (r.data !== '') next.settings[key] = secrets.encrypt(r.data as string);
      } else next.settings[key] = r.data;
    }
    return { next, errors };
  };

  return {
    /** Called at start for the platform and each plugin; creates missing rows and fills new settings' defaults. */
    declare(decl: DomainDeclaration): void {
      declarations.set(decl.domain, decl);
      const now = clock.now();
      tx(() => {
        repo.insertIfMissing({
          domain: decl.domain,
          enabled: decl.polling?.defaultEnabled ?? true,
          pollIntervalSeconds: decl.polling?.defaultIntervalSeconds ?? 0,
          fallbackProjects: '[]',
          settings: JSON.stringify(defaultSettings(decl)),
          version: 1,
          updatedAt: now,
          updatedBy: null,
        });
        const row = repo.find(decl.domain);
        if (!row) return;
        const stored = JSON.parse(row.settings) as Record<string, unknown>;
        const missing = Object.entries(defaultSettings(decl)).filter(([k]) => !(k in stored));
        if (missing.length) {
          const merged = { ...stored, ...Object.fromEntries(missing) };
          repo.updateIfVersion({ ...row, settings: JSON.stringify(merged) }, row.version);
        }
      });
      cache.delete(decl.domain);
    },

    declarations(): DomainDeclaration[] {
      return [...declarations.values()];
    },

    declaration: declarationOf,

    /** The current value for readers inside the process (tick tasks, services). Secrets are shown as set/not set. */
    get(domain: string): DomainConfig {
      return publicView(declarationOf(domain), load(domain));
    },

    setting<T>(domain: string, key: string): T {
      return load(domain).settings[key] as T;
    },

    /** Decrypts a secret setting for the code that needs it; undefined when none is stored. */
    secret(domain: string, key: string): string | undefined {
      const sealed = load(domain).settings[key];
      return typeof sealed === 'string' ? secrets.decrypt(sealed) : undefined;
    },

    update(actor: Actor, domain: string, input: DomainConfigUpdate): DomainConfig {
      assertRole(actor, 'admin', 'change settings');
      const decl = declarationOf(domain);
      const current = load(domain);
      if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
        throw conflict(`${decl.title} settings were changed by ${current.updatedBy ?? 'someone else'} since you opened them; reload to see their change, then apply yours again.`);
      }
      const { next, errors } = validate(decl, current, input);
      if (Object.keys(errors).length) throw validationError(`Some ${decl.title} settings are not valid; nothing was saved.`, errors);

      const saved: DomainConfig = { ...next, version: current.version + 1, updatedAt: clock.now(), updatedBy: actor.email };
      tx(() => {
        const ok = repo.updateIfVersion(
          {
            domain,
            enabled: saved.enabled,
            pollIntervalSeconds: saved.pollIntervalSeconds,
            fallbackProjects: JSON.stringify(saved.fallbackProjects),
            settings: JSON.stringify(saved.settings),
            version: saved.version,
            updatedAt: saved.updatedAt,
            updatedBy: saved.updatedBy,
          },
          current.version,
        );
        if (!ok) throw conflict(`${decl.title} settings were changed by someone else while you saved; reload and apply yours again.`);
        const before = publicView(decl, current);
        const after = publicView(decl, saved);
        const changedSecrets = decl.settings.filter((d) => d.type === 'secret' && current.settings[d.key] !== saved.settings[d.key]).map((d) => d.key);
        // A replaced secret shows as "set" both before and after, so it is compared sealed, not by its public view.
        const changed = Object.keys(after.settings).filter((k) => changedSecrets.includes(k) || JSON.stringify(before.settings[k]) !== JSON.stringify(after.settings[k]));
        audit.record(actor, {
          action: 'settings.update',
          targetType: 'domain',
          targetId: domain,
          before: pick(before, changed, changedSecrets),
          after: pick(after, changed, changedSecrets),
        });
      });
      cache.set(domain, saved);
      events.emit('domain-config.changed', { domain, version: saved.version });
      return publicView(decl, saved);
    },

    /** Drops the in-memory copies (after a restore, or in tests that write rows directly). */
    reload(): void {
      cache.clear();
    },
  };
};

/** The audit entry names only what changed; a secret is recorded as "[changed]", never its value. */
const pick = (value: DomainConfig, settingKeys: string[], secretKeys: string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const f of STANDARD_FIELDS) out[f] = value[f];
  for (const k of settingKeys) out[k] = secretKeys.includes(k) ? '[changed]' : value.settings[k];
  return out;
};

export type DomainConfigService = ReturnType<typeof createDomainConfigService>;

