import type { SyncObject, SyncRun } from '../../plugins/bqe/db/sync-repository.js';
import { OBJECT_NAMES, type ProviderMetadata } from '../../plugins/bqe/provider.js';
import type { WireRequest } from './recording-proxy.js';
import type { PageAnswer, SmokeBrowser } from './smoke-browser.js';
import type { SmokeChecks } from './smoke-checks.js';
import type { SmokeStack } from './smoke-stack.js';
import type { SimOperator } from './sim-operator.js';

/** The connection the smoke run adds through the Add connection form. */
export const CONNECTION_NAME = 'BQE smoke (simulator)';

/** Everything one smoke run's steps share. */
export interface SmokeRun {
  options: { projects: number; clients: number; utcOffsetMinutes: number; syncTimeoutMs: number };
  meta: ProviderMetadata;
  stack: SmokeStack;
  sim: SimOperator;
  browser: SmokeBrowser;
  checks: SmokeChecks;
  /** Texts that must never be stored or logged as they are: tokens, the client secret, the authorization code. */
  secrets: string[];
  /** Path prefixes of the tenant API and of the identity server on the simulator. */
  apiPath: string;
  identityPath: string;
}

/** The latest run of each object. */
export type Runs = Record<SyncObject, SyncRun | undefined>;

const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
export const unescapeHtml = (text: string): string => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => HTML_ENTITIES[e] ?? e);

/** The flash message a page shows after a form post (the first notification). */
export const flashOf = (html: string): string => {
  const text = /<div class="notification is-\w+ is-light" role="(?:status|alert)">([^<]*)<\/div>/.exec(html)?.[1]?.trim();
  return text === undefined ? '(no message on the page)' : unescapeHtml(text);
};

/** The hand-off page's link to BQE's consent page. */
export const consentLink = (html: string): string | null => {
  const href = /<a [^>]*href="([^"]+)"[^>]*data-testid="consent-link"/.exec(html)?.[1];
  return href === undefined ? null : unescapeHtml(href);
};

export const describeRun = (run: SyncRun | undefined): string =>
  run
    ? `run ${run.id} ${run.mode} ${run.status}: ${run.pages} pages, ${run.fetched} read, ${run.inserted} new, ${run.updated} updated, ${run.unchanged} unchanged, ${run.deleted} marked deleted${run.error ? `; error: ${run.error}` : ''}`
    : 'no run started';

export const describeRuns = (runs: Runs): string => OBJECT_NAMES.map((o) => `${o}: ${describeRun(runs[o])}`).join('; ');

export const answered = (what: string, answer: PageAnswer): string => `${what} answered ${answer.status}${answer.location ? ` → ${answer.location}` : ''}`;

/** What the proxy recorded after request number `since`: the hub's own calls, its API calls, one object's list calls. */
export const hubRequests = (run: SmokeRun, since = 0): WireRequest[] => run.stack.proxy.requests().filter((r) => r.seq > since && r.from === 'hub');
export const apiRequests = (run: SmokeRun, since = 0): WireRequest[] => hubRequests(run, since).filter((r) => r.path.startsWith(`${run.apiPath}/`));
export const listRequests = (run: SmokeRun, object: SyncObject, since: number): WireRequest[] => apiRequests(run, since).filter((r) => r.path === `${run.apiPath}/${run.meta.objects[object].resource}`);
/** The number of the last request recorded so far, to take the requests of one step. */
export const lastSeq = (run: SmokeRun): number => run.stack.proxy.requests().at(-1)?.seq ?? 0;
