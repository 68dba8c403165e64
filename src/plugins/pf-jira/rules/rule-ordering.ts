import { conflict, notFound, validationError } from '../../../errors.js';
import type { Actor } from '../../../platform/actor.js';
import type { RuleService } from './rule-service.js';
import type { Rule } from './rule-types.js';

const STALE_ORDER_MESSAGE = 'Rules were added or deleted meanwhile; the list was reloaded. Move the rules again if the order is still not what you want.';

/**
 * Puts the rules in the order an admin arranged on the dashboard. The page
 * sends the versions it showed, so an order built on a list someone else has
 * changed since is refused rather than silently undoing their change.
 */
export const reorderRules = (rules: RuleService, orderedIds: number[], shownVersions: number[] | undefined, actor: Actor): Rule[] => {
  const current = rules.list();
  const byId = new Map(current.map((r) => [r.id, r]));
  if (new Set(orderedIds).size !== orderedIds.length || orderedIds.length !== current.length || orderedIds.some((id) => !byId.has(id))) {
    throw validationError(STALE_ORDER_MESSAGE, { order: 'List every rule exactly once.' });
  }
  if (shownVersions && shownVersions.length === orderedIds.length) {
    const changed = orderedIds.map((id) => byId.get(id) as Rule).find((rule, i) => rule.version !== shownVersions[i]);
    if (changed) throw conflict(`Rule “${changed.name}” was changed meanwhile (it is now version ${changed.version}); the list was reloaded. Move the rules again if the order is still not what you want.`);
  }
  return rules.reorder(orderedIds, actor);
};

/** Swaps a rule with its neighbour above or below; at the top (or bottom) nothing changes. */
export const moveRule = (rules: RuleService, id: number, direction: 'up' | 'down', actor: Actor): { rules: Rule[]; moved: boolean; rule: Rule } => {
  const current = rules.list();
  const at = current.findIndex((r) => r.id === id);
  if (at < 0) throw notFound(`Routing rule ${id} does not exist; it may have been deleted.`);
  const rule = current[at] as Rule;
  const other = direction === 'up' ? at - 1 : at + 1;
  if (other < 0 || other >= current.length) return { rules: current, moved: false, rule };
  const ids = current.map((r) => r.id);
  [ids[at], ids[other]] = [ids[other] as number, ids[at] as number];
  return { rules: rules.reorder(ids, actor), moved: true, rule };
};
