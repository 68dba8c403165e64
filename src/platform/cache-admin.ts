import type { AuditService } from './audit.js';
import { assertRole, type Actor } from './actor.js';
import type { SwrCache } from './swr-cache.js';

/** What operators may do to the platform cache from the diagnostics page: each change is checked and audited. */
export const createCacheAdmin = (deps: { cache: SwrCache; audit: AuditService }) => ({
  /** Forgets one key; false when nothing was stored under it. */
  purgeKey(actor: Actor, key: string): boolean {
    assertRole(actor, 'operator', 'purge cached entries');
    const removed = deps.cache.delete(key);
    deps.audit.record(actor, { action: 'cache.purge', targetType: 'cache', targetId: key, after: { removed: removed ? 1 : 0 } });
    return removed;
  },

  /** Forgets every key starting with prefix ('' for all); returns how many went. */
  purgePrefix(actor: Actor, prefix: string): number {
    assertRole(actor, 'operator', 'purge cached entries');
    const removed = deps.cache.purge(prefix);
    deps.audit.record(actor, { action: 'cache.purge_prefix', targetType: 'cache', targetId: prefix === '' ? '*' : `${prefix}*`, after: { removed } });
    return removed;
  },

  /** Queues a reload of key through its refresher; false (and nothing audited) when no refresher covers it. */
  refresh(actor: Actor, key: string): boolean {
    assertRole(actor, 'operator', 'refresh cached entries');
    const queued = deps.cache.requestRefresh(key);
    if (queued) deps.audit.record(actor, { action: 'cache.refresh', targetType: 'cache', targetId: key });
    return queued;
  },
});

export type CacheAdmin = ReturnType<typeof createCacheAdmin>;
