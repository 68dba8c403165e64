/** A project or client as the simulator's /__sim routes show it (times as naive UTC, offset 0). */
export type SimRecord = { id: string; name: string; lastUpdated: string } & Record<string, unknown>;

export interface SimState {
  counts: { projects: number; clients: number };
  counters: { apiRequests: number; unauthorized: number; forbidden: number; badRequests: number; notFound: number; rateLimited: number; requestsSeen: number };
  requests: { method: string; path: string; query: Record<string, string | string[]>; status: number }[];
}

/**
 * The simulator's operator side over HTTP (/__sim, no auth), the way a
 * tester changes BQE's data between syncs. Every refusal throws with the
 * simulator's message.
 */
export const simOperator = (simUrl: string) => {
  const call = async <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${simUrl}/__sim${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`the simulator answered ${method} /__sim${path} with HTTP ${res.status}: ${text.slice(0, 300)}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
  return {
    state: () => call<SimState>('GET', '/state'),
    projects: () => call<SimRecord[]>('GET', '/projects'),
    clients: () => call<SimRecord[]>('GET', '/clients'),
    addProject: (input: Record<string, unknown>) => call<SimRecord>('POST', '/projects', input),
    updateProject: (id: string, changes: Record<string, unknown>) => call<SimRecord>('PATCH', `/projects/${encodeURIComponent(id)}`, changes),
    deleteProject: (id: string) => call<undefined>('DELETE', `/projects/${encodeURIComponent(id)}`),
    updateClient: (id: string, changes: Record<string, unknown>) => call<SimRecord>('PATCH', `/clients/${encodeURIComponent(id)}`, changes),
  };
};

export type SimOperator = ReturnType<typeof simOperator>;
