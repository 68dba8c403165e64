import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBqeSimulator, startBqeSimulator } from '../../../src/simulators/bqe/bqe-simulator.js';
import { s256 } from '../../../src/simulators/bqe/pkce.js';
import { VERIFIER } from './bqe-fixture.js';

test('runs the whole OAuth flow over HTTP and the token endpoint points at the served API', async () => {
  const running = await startBqeSimulator({ port: 0, redirectUris: ['http://127.0.0.1:3000/admin/bqe/oauth/callback'] });
  try {
    const { sim, url } = running;
    assert.equal(running.identityUrl, `${url}/idp`);
    assert.equal(running.apiBase, `${url}/t/switchyard-demo/api`);
    const authorize = new URL(`${running.identityUrl}/connect/authorize`);
    for (const [k, v] of Object.entries({
      client_id: sim.defaultClient.clientId,
      response_type: 'code',
      scope: 'read:core offline_access',
      redirect_uri: 'http://127.0.0.1:3000/admin/bqe/oauth/callback',
      state: 's1',
      code_challenge: s256(VERIFIER),
      code_challenge_method: 'S256',
    })) authorize.searchParams.set(k, v);
    const redirect = await fetch(authorize, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    const code = new URL(redirect.headers.get('location') as string).searchParams.get('code') as string;
    const token = await fetch(`${running.identityUrl}/connect/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://127.0.0.1:3000/admin/bqe/oauth/callback',
        client_id: sim.defaultClient.clientId,
        client_secret: sim.defaultClient.clientSecret,
        code_verifier: VERIFIER,
      }),
    });
    const tokens = (await token.json()) as { access_token: string; endpoint: string };
    assert.equal(tokens.endpoint, `${running.apiBase}/`);
    const apiBase = tokens.endpoint.replace(/\/$/, '');
    const res = await fetch(`${apiBase}/project?page=1,1000&where=${encodeURIComponent('parentId is null')}&orderBy=lastUpdated%20asc`, {
      headers: { Authorization: `Bearer ${tokens.access_token}`, Accept: 'application/json', 'X-UTC-OFFSET': '-300' },
    });
    assert.equal(res.status, 200);
    const roots = (await res.json()) as { level: number }[];
    assert.ok(roots.length > 0 && roots.every((p) => p.level === 0));
    assert.equal(res.headers.get('x-rate-limit-remaining'), '99');
    const unstripped = await fetch(`${tokens.endpoint}/project`, { headers: { Authorization: `Bearer ${tokens.access_token}`, 'X-UTC-OFFSET': '0' } });
    assert.equal(unstripped.status, 404, 'a client must strip the trailing slash before adding /project');
  } finally {
    await running.close();
  }
});

test('hands out tokens directly for client tests', async () => {
  const running = await startBqeSimulator({ port: 0 });
  try {
    const tokens = running.issueTokens();
    assert.equal(tokens.endpoint, `${running.apiBase}/`);
    assert.equal(tokens.scope, 'read:core offline_access');
    assert.ok(tokens.refresh_token);
    const res = await fetch(`${running.apiBase}/client?page=0,1000`, { headers: { Authorization: `Bearer ${tokens.access_token}`, 'X-UTC-OFFSET': '60' } });
    assert.equal(((await res.json()) as unknown[]).length, 15);
  } finally {
    await running.close();
  }
});

test('names the issuer and endpoint after publicUrl when given', async () => {
  const running = await startBqeSimulator({ port: 0, publicUrl: 'https://bqe-sim.example.com/' });
  try {
    assert.equal(running.identityUrl, 'https://bqe-sim.example.com/idp');
    const doc = (await (await fetch(`${running.url}/idp/.well-known/openid-configuration`)).json()) as { issuer: string };
    assert.equal(doc.issuer, 'https://bqe-sim.example.com/idp');
    assert.equal(running.issueTokens().endpoint, 'https://bqe-sim.example.com/t/switchyard-demo/api/');
  } finally {
    await running.close();
  }
});

test('drops the connection when told to, over real HTTP', async () => {
  const running = await startBqeSimulator({ port: 0 });
  try {
    running.sim.faults.add({ kind: 'drop', match: '^POST /idp/connect/token$' });
    await assert.rejects(fetch(`${running.identityUrl}/connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) }));
  } finally {
    await running.close();
  }
});

test('serves 10,000 projects in pages of 1,000 within the cap', async () => {
  const sim = createBqeSimulator({ projects: 10_000, clock: () => Date.UTC(2026, 0, 14) });
  const token = sim.issueTokens({ baseUrl: 'http://localhost' }).access_token;
  const ids = new Set<string>();
  const started = performance.now();
  for (let page = 1; ; page++) {
    const res = await sim.app.request(`/t/switchyard-demo/api/project?page=${page},1000&orderBy=${encodeURIComponent('lastUpdated asc')}`, {
      headers: { Authorization: `Bearer ${token}`, 'X-UTC-OFFSET': '0' },
    });
    const rows = (await res.json()) as { id: string }[];
    for (const r of rows) ids.add(r.id);
    if (rows.length < 1000) break;
  }
  assert.equal(ids.size, 10_000);
  assert.ok(performance.now() - started < 5_000);
});

test('refuses bad options at construction', () => {
  assert.throws(() => createBqeSimulator({ legacyIdField: 'lastUpdated' }), /legacyIdField: already names another field/);
  assert.throws(() => createBqeSimulator({ legacyIdField: 'legacy id' }), /legacyIdField/);
  assert.throws(() => createBqeSimulator({ tenant: 'has/slash' }), /tenant/);
  assert.throws(() => createBqeSimulator({ rateLimitPerMinute: -5 }), /rateLimitPerMinute/);
  assert.throws(() => createBqeSimulator({ defaultPageSize: 50, maxPageSize: 10 }), /must not exceed maxPageSize/);
  assert.throws(() => createBqeSimulator({ redirectUris: ['not a url'] }), /redirectUris/);
});
