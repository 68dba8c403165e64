import type { WireRequest } from './recording-proxy.js';

/** A verdict over recorded requests: whether it holds, and the evidence either way. */
export interface WireVerdict {
  ok: boolean;
  detail: string;
}

const describe = (r: WireRequest): string => `#${r.seq} ${r.method} ${r.path}`;

const sample = (bad: WireRequest[], what: (r: WireRequest) => string): string =>
  bad
    .slice(0, 3)
    .map((r) => `${describe(r)} ${what(r)}`)
    .join('; ') + (bad.length > 3 ? `; and ${bad.length - 3} more` : '');

const verdict = (requests: WireRequest[], bad: WireRequest[], good: string, what: (r: WireRequest) => string): WireVerdict =>
  requests.length === 0
    ? { ok: false, detail: 'no request was recorded' }
    : bad.length === 0
      ? { ok: true, detail: `${requests.length} of ${requests.length} requests ${good}` }
      : { ok: false, detail: `${bad.length} of ${requests.length} requests did not: ${sample(bad, what)}` };

/** Only the documented list parameters (page, where, orderBy) appear in any query. */
export const onlyAllowedQueryKeys = (requests: WireRequest[], allowed: ReadonlySet<string>): WireVerdict => {
  const extra = (r: WireRequest) => Object.keys(r.query).filter((k) => !allowed.has(k));
  return verdict(requests, requests.filter((r) => extra(r).length > 0), `used only ${[...allowed].join(', ')}`, (r) => `sent ${extra(r).join(', ')}`);
};

/** Every request carried the offset header with exactly this value. */
export const offsetOnEvery = (requests: WireRequest[], header: string, minutes: number): WireVerdict =>
  verdict(requests, requests.filter((r) => r.headers.utcOffset !== String(minutes)), `sent ${header}: ${minutes}`, (r) => `sent ${header}: ${r.headers.utcOffset ?? '(none)'}`);

/** Every request carried a bearer token and asked for JSON. */
export const bearerJsonOnEvery = (requests: WireRequest[]): WireVerdict =>
  verdict(
    requests,
    requests.filter((r) => r.headers.authorization !== 'Bearer' || r.headers.accept !== 'application/json'),
    'sent Authorization: Bearer … and Accept: application/json',
    (r) => `sent Authorization scheme ${r.headers.authorization ?? '(none)'} and Accept ${r.headers.accept ?? '(none)'}`,
  );

/** Every request was answered with a 2xx status. */
export const allAnswered = (requests: WireRequest[]): WireVerdict =>
  verdict(requests, requests.filter((r) => r.status < 200 || r.status > 299), 'were answered 2xx', (r) => `got HTTP ${r.status}`);

/** `page=<number>,<size>` on every list request, the size never above the provider's page size. */
export const pageParamOnEvery = (requests: WireRequest[], pageSize: number): WireVerdict => {
  const wrong = (r: WireRequest) => {
    const m = typeof r.query.page === 'string' ? /^(\d+),(\d+)$/.exec(r.query.page) : null;
    return m === null || Number(m[2]) < 1 || Number(m[2]) > pageSize;
  };
  return verdict(requests, requests.filter(wrong), `sent page=<number>,<size> with a size up to ${pageSize}`, (r) => `sent page=${JSON.stringify(r.query.page ?? null)}`);
};
