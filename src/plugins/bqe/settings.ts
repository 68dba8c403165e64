import type { DomainDeclaration } from '../../platform/settings-schema.js';

export const DOMAIN = 'bqe';

/**
 * The domain's DomainConfig: the master switch and how often connections are
 * checked for changes. Everything about BQE itself lives in provider.json,
 * and everything about one tenant on its connection.
 */
export const bqeDeclaration: Omit<DomainDeclaration, 'domain'> = {
  title: 'BQE Core',
  description: 'Mirrors BQE Core projects and clients for every connected tenant.',
  helpTopic: 'bqe-setup',
  polling: { defaultEnabled: false, defaultIntervalSeconds: 900, minIntervalSeconds: 60, maxIntervalSeconds: 86_400 },
  settings: [],
};
