import { ManualClock } from '../../../src/platform/clock.js';
import { createJiraSimulator, type JiraSimulator, type JiraSimulatorOptions } from '../../../src/simulators/jira/jira-simulator.js';

// Response bodies are only inspected through assertions, so a loose type keeps the tests readable.
type Json = any;

export interface SimResponse {
  status: number;
  headers: Headers;
  body: Json;
}

export const DEMO_AUTH = `Basic ${Buffer.from('demo@example.com:demo-token').toString('base64')}`;

/** Calls the simulator in-process (Hono's `app.request`) with the demo credentials and JSON bodies. */
export const jiraClient = (sim: JiraSimulator, auth: string | null = DEMO_AUTH) => {
  const call = async (method: string, path: string, body?: unknown): Promise<SimResponse> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (auth) headers.Authorization = auth;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await sim.app.request(path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Json) : undefined };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    del: (path: string) => call('DELETE', path),
  };
};

export const START = Date.UTC(2026, 0, 1, 10);

/** A seeded simulator on a manual clock starting 2026-01-01 10:00 UTC. */
export const testSim = (options: JiraSimulatorOptions = {}) => {
  const clock = new ManualClock(START);
  const sim = createJiraSimulator({ clock: () => clock.now(), ...options });
  return { sim, clock, jira: jiraClient(sim) };
};

export const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** A valid IT Onboarding create body; `fields` overrides or adds fields. */
export const onboarding = (fields: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  fields: { project: { key: 'IT' }, issuetype: { id: '10010' }, summary: 'Onboard Ada Lovelace', customfield_10030: { value: 'Engineering' }, ...fields },
  ...extra,
});

/** A valid OPS Task create body. */
export const opsTask = (fields: Record<string, unknown> = {}) => ({
  fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Rotate backup keys', ...fields },
});
