import fs from 'node:fs';
import path from 'node:path';
import type { SyncRun } from '../../plugins/bqe/db/sync-repository.js';
import type { WireRequest } from './recording-proxy.js';
import type { SmokeCheck } from './smoke-checks.js';

/** The fields of each sync run the report lists. */
export const REPORTED_RUN_FIELDS = ['id', 'object', 'mode', 'trigger', 'status', 'pages', 'requests', 'fetched', 'inserted', 'updated', 'unchanged', 'duplicates', 'deleted', 'missing', 'rateWaits', 'cursorFrom', 'cursorTo', 'error'] as const;
export type ReportedRun = Pick<SyncRun, (typeof REPORTED_RUN_FIELDS)[number]>;

export const reportedRun = (run: SyncRun): ReportedRun => Object.fromEntries(REPORTED_RUN_FIELDS.map((k) => [k, run[k]])) as ReportedRun;

export interface MirrorTally {
  active: number;
  deleted: number;
}

/** What `npm run bqe:smoke` writes to reports/bqe-smoke-<time>.json. */
export interface SmokeReport {
  tool: 'bqe-smoke';
  passed: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  setup: {
    node: string;
    hubUrl: string;
    /** The recording proxy the hub reaches the simulator through (the simulator's public address). */
    bqeUrl: string;
    identityUrl: string;
    apiBase: string;
    simulator: { projects: number; clients: number; rateLimitPerMinute: number; strictUtcOffset: boolean };
    provider: { pageSize: number; firstPage: number; requestsPerMinute: number; overlapSeconds: number; scopes: string[] };
    utcOffsetMinutes: number;
    /** The hub's log of the run (JSON lines), beside the report. */
    hubLog: string;
    /** Kept when the run failed, for a look at the database; removed when it passed. */
    dataDir: string | null;
  };
  checks: SmokeCheck[];
  /** Every request that reached BQE, in arrival order: the admin's browser on the consent page and the hub's own calls. */
  requests: WireRequest[];
  counts: {
    requests: { total: number; api: number; identity: number; byPath: Record<string, number> };
    simulator: { projects: number; clients: number };
    mirror: { projects: MirrorTally; clients: MirrorTally };
    runs: ReportedRun[];
  };
  /** Set when something outside the checks went wrong (the run could not go on). */
  error: string | null;
}

/** `2025-01-15T10-22-31-123Z`: an ISO time that is a safe file name everywhere. */
export const reportStamp = (date: Date): string => date.toISOString().replace(/[:.]/g, '-');

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

const queryText = (query: WireRequest['query']): string =>
  Object.entries(query)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(` & ${k}=`) : v}`)
    .join(' & ');

/** The report as a short Markdown page: the verdict, the checks, the counts and the requests. */
export const reportMarkdown = (report: SmokeReport): string => {
  const lines = [
    `# BQE smoke run: ${report.passed ? 'PASSED' : 'FAILED'}`,
    '',
    `Started ${report.startedAt}, finished ${report.finishedAt} (${(report.durationMs / 1000).toFixed(1)} s). Hub ${report.setup.hubUrl}, BQE simulator ${report.setup.bqeUrl} (strict X-UTC-OFFSET: ${report.setup.simulator.strictUtcOffset}, cap ${report.setup.simulator.rateLimitPerMinute}/min), UTC offset ${report.setup.utcOffsetMinutes}.`,
    ...(report.error ? ['', `**The run stopped early:** ${report.error}`] : []),
    '',
    '## Checks',
    '',
    '| | Check | Detail |',
    '|---|---|---|',
    ...report.checks.map((c) => `| ${c.ok ? 'pass' : '**FAIL**'} | ${cell(c.name)} | ${cell(c.detail)} |`),
    '',
    '## Counts',
    '',
    `- Simulator: ${report.counts.simulator.projects} projects, ${report.counts.simulator.clients} clients.`,
    `- Mirror: ${report.counts.mirror.projects.active} projects (${report.counts.mirror.projects.deleted} marked deleted), ${report.counts.mirror.clients.active} clients (${report.counts.mirror.clients.deleted} marked deleted).`,
    `- Requests to BQE: ${report.counts.requests.total} (${report.counts.requests.api} API, ${report.counts.requests.identity} identity server).`,
    '',
    '| Run | Object | Mode | Status | Pages | Fetched | Inserted | Updated | Unchanged | Deleted | Cursor from |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.counts.runs.map((r) => `| ${r.id} | ${r.object} | ${r.mode} | ${r.status} | ${r.pages} | ${r.fetched} | ${r.inserted} | ${r.updated} | ${r.unchanged} | ${r.deleted} | ${r.cursorFrom ?? ''} |`),
    '',
    '## Requests',
    '',
    '| # | From | Method | Path | Query | X-UTC-OFFSET | Authorization | Status |',
    '|---|---|---|---|---|---|---|---|',
    ...report.requests.map(
      (r) => `| ${r.seq} | ${r.from} | ${r.method} | ${cell(r.path)} | ${cell(r.form ? `(form: grant_type=${r.form.grantType ?? ''}; fields ${r.form.fields.join(', ')})` : queryText(r.query))} | ${r.headers.utcOffset ?? ''} | ${r.headers.authorization ?? ''} | ${r.status} |`,
    ),
    '',
  ];
  return lines.join('\n');
};

/** Writes `bqe-smoke-<stamp>.json` and `.md` into the folder (made if missing); returns both paths. */
export const writeReport = (dir: string, stamp: string, report: SmokeReport): { json: string; markdown: string } => {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, `bqe-smoke-${stamp}.json`);
  const markdown = path.join(dir, `bqe-smoke-${stamp}.md`);
  fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(markdown, reportMarkdown(report));
  return { json, markdown };
};

/** One screen: the verdict, each check, the counts and where the report is. */
export const summaryLines = (report: SmokeReport, files: { json: string; markdown: string }): string[] => [
  `BQE smoke: ${report.passed ? 'PASSED' : 'FAILED'} (${report.checks.filter((c) => c.ok).length}/${report.checks.length} checks, ${(report.durationMs / 1000).toFixed(1)} s)`,
  ...(report.error ? [`  stopped early: ${report.error}`] : []),
  ...report.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : ` — ${c.detail}`}`),
  `  simulator ${report.counts.simulator.projects} projects / ${report.counts.simulator.clients} clients; mirror ${report.counts.mirror.projects.active} (+${report.counts.mirror.projects.deleted} deleted) / ${report.counts.mirror.clients.active} (+${report.counts.mirror.clients.deleted} deleted)`,
  `  ${report.counts.requests.total} requests to BQE (${report.counts.requests.api} API, ${report.counts.requests.identity} identity), ${report.counts.runs.length} sync runs`,
  `  report: ${files.json}`,
  `          ${files.markdown}`,
];
