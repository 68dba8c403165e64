import type { Engine } from '../engine.js';

/** The start of a Jira issue link (append the key), or null while no Jira site is configured. */
export const jiraBrowseBase = (engine: Pick<Engine, 'reader'>): string | null => {
  const site = engine.reader.settings().jiraSiteUrl;
  return site ? `${site.replace(/\/+$/, '')}/browse/` : null;
};
