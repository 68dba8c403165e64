import type { Connection, ConnectionStatus, Environment } from '../db/connection-repository.js';
import type { ProviderMetadata } from '../provider.js';

const STATUS_TAGS: Record<ConnectionStatus, { label: string; kind: string }> = {
  connected: { label: 'Connected', kind: 'is-success' },
  not_connected: { label: 'Not connected', kind: 'is-light' },
  needs_reauth: { label: 'Needs re-auth', kind: 'is-danger' },
  needs_consent: { label: 'Needs consent', kind: 'is-warning' },
};

export const statusTag = (status: ConnectionStatus): { label: string; kind: string } => STATUS_TAGS[status];

export const environmentLabel = (meta: ProviderMetadata, environment: Environment): string =>
  environment === 'custom' ? 'Custom' : meta.environments[environment].label;

/** The choices of the environment select, each with the identity server it implies. */
export const environmentOptions = (meta: ProviderMetadata): { value: Environment; label: string; identityUrl: string | null }[] => [
  { value: 'production', label: meta.environments.production.label, identityUrl: meta.environments.production.identityUrl },
  { value: 'sandbox', label: meta.environments.sandbox.label, identityUrl: meta.environments.sandbox.identityUrl },
  { value: 'custom', label: 'Custom', identityUrl: null },
];

/** "UTC−05:00 (-300 minutes)", or null when no offset is set. */
export const offsetLabel = (minutes: number | null): string | null => {
  if (minutes === null) return null;
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `UTC${sign}${hh}:${mm} (${minutes} minutes)`;
};

export interface ScopeRow {
  name: string;
  purpose: string;
  granted: boolean | null;
}

/** The scopes Switchyard asks for (with their purpose for the tooltip) and whether BQE granted each; null before any consent. */
export const scopeRows = (meta: ProviderMetadata, connection: Connection): ScopeRow[] =>
  meta.scopes.map((s) => ({ name: s.name, purpose: s.purpose, granted: connection.consentedScopes === null ? null : connection.consentedScopes.includes(s.name) }));

/** The connection as the pages show it: plain values plus the labels the templates print. */
export const connectionView = (meta: ProviderMetadata, connection: Connection) => ({
  ...connection,
  tag: statusTag(connection.status),
  environmentLabel: environmentLabel(meta, connection.environment),
  offsetLabel: offsetLabel(connection.utcOffsetMinutes),
});

export type ConnectionView = ReturnType<typeof connectionView>;
