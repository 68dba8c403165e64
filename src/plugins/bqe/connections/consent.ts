import type { ProviderMetadata } from '../provider.js';
import { requiredScopes } from '../provider.js';

export interface ConsentCheck {
  needed: boolean;
  added: string[];
  removed: string[];
  /** Plain words for the banner: what changed and why BQE must be asked again. */
  reason: string | null;
}

/**
 * Compares the scopes a connection consented to with those provider.json
 * asks for now. BQE grants scopes only at consent time, so an added scope
 * means signing in again; a removed one too, so the token stops carrying
 * access Switchyard no longer needs.
 */
export const checkConsent = (meta: ProviderMetadata, consented: string[] | null): ConsentCheck => {
  if (consented === null) return { needed: false, added: [], removed: [], reason: null };
  const wanted = requiredScopes(meta);
  const added = wanted.filter((s) => !consented.includes(s));
  const removed = consented.filter((s) => !wanted.includes(s));
  if (added.length === 0 && removed.length === 0) return { needed: false, added, removed, reason: null };
  const purpose = (scope: string) => meta.scopes.find((s) => s.name === scope)?.purpose ?? '';
  const parts = [
    ...(added.length ? [`Switchyard now needs ${added.map((s) => `“${s}” (${purpose(s).replace(/\.$/, '')})`).join(' and ')}.`] : []),
    ...(removed.length ? [`It no longer needs ${removed.map((s) => `“${s}”`).join(' and ')}, so the token should stop carrying that access.`] : []),
  ];
  return { needed: true, added, removed, reason: `${parts.join(' ')} BQE changes the granted scopes only when you consent again: use Reconnect OAuth.` };
};
