import type { Actor } from '../../../platform/actor.js';
import { assertRole } from '../../../platform/actor.js';
import type { DomainConfigService } from '../../../platform/domain-config.js';
import type { Logger } from '../../../platform/logger.js';
import { isUpstreamError } from '../../../platform/upstream-error.js';
import { createJiraClient, type JiraClient } from '../jira/jira-client.js';
import { createPeopleForceClient, type PeopleForceClient } from '../peopleforce/peopleforce-client.js';
import { DOMAIN, type SettingsReader } from '../settings.js';
import type { ConnectionName, ConnectionStatus, ConnectionStatusService } from '../sync/connection-status.js';

/** Which settings each connection form edits. */
export const CONNECTION_FIELDS: Record<ConnectionName, string[]> = {
  peopleforce: ['peopleforceUrl', 'peopleforceApiVersion', 'peopleforceApiKey', 'peopleforceWebhookSecret'],
  jira: ['jiraSiteUrl', 'jiraEmail', 'jiraApiToken'],
};

export interface TestResult {
  ok: boolean;
  message: string;
}

export interface ConnectionServiceDeps {
  reader: SettingsReader;
  domainConfig: DomainConfigService;
  status: ConnectionStatusService;
  logger: Logger;
}

/**
 * Builds the upstream clients from the current settings (rebuilt when the
 * settings change, so a new token applies to the next call), saves the
 * credentials, and tests each connection on demand.
 */
export const createConnectionService = (deps: ConnectionServiceDeps) => {
  let jiraCache: { version: number; client: JiraClient | undefined } | undefined;
  let pfCache: { version: number; client: PeopleForceClient | undefined } | undefined;

  const jira = (): JiraClient | undefined => {
    const version = deps.reader.version();
    if (jiraCache?.version !== version) {
      const s = deps.reader.settings();
      const token = deps.reader.secret('jiraApiToken');
      const client =
        s.jiraSiteUrl && s.jiraEmail && token
          ? createJiraClient({ siteUrl: s.jiraSiteUrl, email: s.jiraEmail, apiToken: token, timeoutMs: s.jiraTimeoutSeconds * 1000, maxInlineWaitMs: s.maxInlineWaitSeconds * 1000, logger: deps.logger })
          : undefined;
      jiraCache = { version, client };
    }
    return jiraCache.client;
  };

  const peopleforce = (): PeopleForceClient | undefined => {
    const version = deps.reader.version();
    if (pfCache?.version !== version) {
      const s = deps.reader.settings();
      const key = deps.reader.secret('peopleforceApiKey');
      const client =
        s.peopleforceUrl && key
          ? createPeopleForceClient({ baseUrl: s.peopleforceUrl, apiVersion: s.peopleforceApiVersion, apiKey: key, timeoutMs: s.peopleforceTimeoutSeconds * 1000, maxInlineWaitMs: s.maxInlineWaitSeconds * 1000, logger: deps.logger })
          : undefined;
      pfCache = { version, client };
    }
    return pfCache.client;
  };

  const describeFailure = (err: unknown): string => (isUpstreamError(err) || err instanceof Error ? err.message : String(err));

  return {
    jira,
    peopleforce,
    status: (name: ConnectionName): ConnectionStatus => deps.status.get(name),

    /** Saves one connection's fields; secrets left blank keep their stored value. */
    save(actor: Actor, name: ConnectionName, input: Record<string, unknown>) {
      assertRole(actor, 'admin', 'change connections');
      const settings = Object.fromEntries(CONNECTION_FIELDS[name].filter((k) => k in input).map((k) => [k, input[k]]));
      return deps.domainConfig.update(actor, DOMAIN, { settings });
    },

    /** Calls the upstream once and says what it reached, or exactly why not. */
    async test(name: ConnectionName, log: Logger): Promise<TestResult> {
      let result: TestResult;
      if (name === 'jira') {
        const client = jira();
        if (!client) return { ok: false, message: 'Enter the Jira site URL, account email and API token first.' };
        try {
          const me = await client.myself({ log });
          result = { ok: true, message: `Connected to Jira as ${me.displayName}${me.emailAddress ? ` (${me.emailAddress})` : ''}.` };
        } catch (err) {
          result = { ok: false, message: describeFailure(err) };
          if (isUpstreamError(err) && err.authFailure) deps.status.failing('jira', result.message);
          return result;
        }
      } else {
        const client = peopleforce();
        if (!client) return { ok: false, message: 'Enter the PeopleForce URL and API key first.' };
        try {
          const count = await client.countEmployees({ log });
          result = { ok: true, message: `Connected to PeopleForce: ${count} employee${count === 1 ? '' : 's'} visible to this key.` };
        } catch (err) {
          result = { ok: false, message: describeFailure(err) };
          if (isUpstreamError(err) && err.authFailure) deps.status.failing('peopleforce', result.message);
          return result;
        }
      }
      deps.status.ok(name, result.message);
      return result;
    },
  };
};

export type ConnectionService = ReturnType<typeof createConnectionService>;
