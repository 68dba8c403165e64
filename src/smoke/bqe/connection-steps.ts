import fs from 'node:fs';
import path from 'node:path';
import { CALLBACK_PATH } from '../../plugins/bqe/connections/connection-service.js';
import { requiredScopes } from '../../plugins/bqe/provider.js';
import { bqeRoutes } from '../../plugins/bqe/web/bqe-routes.js';
import { answered, CONNECTION_NAME, consentLink, flashOf, hubRequests, type SmokeRun } from './smoke-run.js';

export const signIn = async (run: SmokeRun): Promise<void> => {
  const { browser, stack } = run;
  await browser.get('/login');
  const login = await browser.post('/login', { email: stack.admin.email, password: stack.admin.password });
  const list = await browser.get(bqeRoutes.connections);
  const field = /<input[^>]*data-testid="redirect-uri"[^>]*>/.exec(list.text)?.[0] ?? '';
  const shown = /value="([^"]*)"/.exec(field)?.[1];
  run.checks.require(
    'the bootstrap admin (HUB_ADMIN_EMAIL, HUB_ADMIN_PASSWORD) signs in and opens BQE connections',
    login.status === 303 && list.status === 200 && browser.csrfToken !== '',
    `${answered('POST /login', login)}; GET ${bqeRoutes.connections} answered ${list.status}`,
  );
  run.checks.record('the connections page shows the redirect URI built from HUB_BASE_URL', shown === `${stack.hubUrl}${CALLBACK_PATH}`, `shown: ${shown ?? '(none)'}`);
};

export const addConnection = async (run: SmokeRun): Promise<number> => {
  const { browser, stack } = run;
  const app = stack.sim.sim.defaultClient;
  const created = await browser.post(bqeRoutes.connections, { name: CONNECTION_NAME, environment: 'custom', identityUrl: stack.sim.identityUrl, clientId: app.clientId, clientSecret: app.clientSecret, utcOffsetMinutes: '' });
  const id = Number(/\/connections\/(\d+)$/.exec(created.location ?? '')?.[1]);
  const stored = Number.isInteger(id) ? stack.repo.get(id) : undefined;
  run.checks.require(
    'the Add connection form creates a Custom connection to the simulator',
    created.status === 303 && stored?.environment === 'custom' && stored.identityUrl === stack.sim.identityUrl && stored.clientId === app.clientId && stored.status === 'not_connected',
    `${answered(`POST ${bqeRoutes.connections}`, created)}; stored: environment ${stored?.environment ?? '-'}, identity URL ${stored?.identityUrl ?? '-'}, status ${stored?.status ?? '-'}`,
  );
  return id;
};

/** Connect with BQE, the simulator's consent and the callback, each hop as a browser takes it. */
export const connect = async (run: SmokeRun, id: number): Promise<void> => {
  const { browser, stack, meta } = run;
  const page = await browser.get(bqeRoutes.connection(id));
  const offered = page.text.includes(`action="${bqeRoutes.connectionAuthorize(id)}"`);
  const start = await browser.post(bqeRoutes.connectionAuthorize(id));
  // Without JavaScript the hub answers with a page linking to BQE (the CSP's form-action 'self' forbids redirecting a form away).
  const link = start.status === 303 ? start.location : consentLink(start.text);
  const consent = new URL(link ?? 'about:blank');
  const q = consent.searchParams;
  const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean).sort();
  run.checks.require(
    'Connect with BQE leads the browser to the consent page with PKCE S256, a state and the minimal scopes',
    offered &&
      (start.status === 303 || start.status === 200) &&
      `${consent.origin}${consent.pathname}` === `${stack.sim.identityUrl}${meta.oauth.authorizePath}` &&
      q.get('response_type') === 'code' &&
      q.get('client_id') === stack.sim.sim.defaultClient.clientId &&
      q.get('redirect_uri') === `${stack.hubUrl}${CALLBACK_PATH}` &&
      q.get('code_challenge_method') === 'S256' &&
      /^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? '') &&
      (q.get('state') ?? '') !== '' &&
      JSON.stringify(scopes) === JSON.stringify(requiredScopes(meta)),
    `button on the page: ${offered}; POST ${bqeRoutes.connectionAuthorize(id)} answered ${start.status} leading to ${link ? `${consent.origin}${consent.pathname}` : '(no link to BQE)'}; scope "${q.get('scope') ?? ''}", redirect_uri ${q.get('redirect_uri') ?? '-'}, code_challenge_method ${q.get('code_challenge_method') ?? '-'}`,
  );

  const consented = await browser.get(consent.href);
  const back = new URL(consented.location ?? 'about:blank');
  const code = back.searchParams.get('code');
  if (code) run.secrets.push(code);
  run.checks.require(
    "the simulator sends the browser back to the hub's callback with a code and the same state",
    consented.status === 302 && `${back.origin}${back.pathname}` === `${stack.hubUrl}${CALLBACK_PATH}` && code !== null && back.searchParams.get('state') === q.get('state'),
    `GET ${consent.pathname} answered ${consented.status} → ${back.origin}${back.pathname} with ${code ? 'a code' : 'no code'}`,
  );

  const callback = await browser.get(`${back.pathname}${back.search}`);
  const landed = callback.location ? await browser.get(callback.location) : undefined;
  const tag = /data-testid="connection-status">([^<]+)</.exec(landed?.text ?? '')?.[1];
  const stored = stack.repo.get(id);
  run.checks.require(
    'the callback completes the sign-in: connected, with the granted scopes and the tenant API base from the token response',
    callback.status === 303 &&
      callback.location === bqeRoutes.connection(id) &&
      tag === 'Connected' &&
      stored?.status === 'connected' &&
      JSON.stringify([...(stored.consentedScopes ?? [])].sort()) === JSON.stringify(requiredScopes(meta)) &&
      stored.apiBaseUrl === stack.sim.apiBase,
    `${answered(`GET ${CALLBACK_PATH}`, callback)}; page shows "${tag ?? '-'}"; stored status ${stored?.status ?? '-'}, scopes ${stored?.consentedScopes?.join(' ') ?? '-'}, API base ${stored?.apiBaseUrl ?? '-'}; flash: ${flashOf(landed?.text ?? '')}`,
  );

  const exchanges = hubRequests(run).filter((r) => r.path === `${run.identityPath}${meta.oauth.tokenPath}` && r.form?.grantType === 'authorization_code');
  const fields = exchanges[0]?.form?.fields ?? [];
  const needed = ['code', 'redirect_uri', 'client_id', 'client_secret', 'code_verifier'];
  run.checks.record(
    'the code exchange posts the PKCE verifier and the client credentials in the form body',
    exchanges.length === 1 && needed.every((f) => fields.includes(f)),
    `${exchanges.length} authorization_code exchange(s); fields sent: ${fields.join(', ') || '-'}`,
  );
};

const filesUnder = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : d.isFile() ? [path.join(dir, d.name)] : []));

/** The tokens and the client secret must exist only sealed: no file in the data folder (database, WAL) holds one as text. */
export const storedSealed = (run: SmokeRun, id: number): void => {
  const { stack } = run;
  const tokens = stack.repo.tokens(id);
  const secret = stack.repo.clientSecret(id);
  for (const value of [tokens?.accessToken, tokens?.refreshToken, secret]) if (value) run.secrets.push(value);
  const files = filesUnder(stack.dataDir);
  const contents = files.map((f) => ({ file: path.basename(f), bytes: fs.readFileSync(f) }));
  const leaks = contents.filter((c) => run.secrets.some((s) => c.bytes.includes(s))).map((c) => c.file);
  const readable = contents.some((c) => c.bytes.includes(CONNECTION_NAME));
  run.checks.record(
    'tokens and the client secret are stored encrypted: no file in the data folder holds them as text',
    tokens !== undefined && tokens.refreshToken !== null && leaks.length === 0 && readable,
    `${tokens ? `access and ${tokens.refreshToken ? 'refresh' : 'no refresh'} token stored` : 'no tokens stored'}; scanned ${files.length} files (${contents.reduce((n, c) => n + c.bytes.length, 0)} bytes; the connection's name is ${readable ? 'found' : 'NOT found'}, so the scan ${readable ? 'reads' : 'may not read'} the stored rows); plain text found in: ${leaks.join(', ') || 'none'}`,
  );
};

export const saveOffset = async (run: SmokeRun, id: number): Promise<void> => {
  const { browser, stack } = run;
  const offset = run.options.utcOffsetMinutes;
  await browser.get(bqeRoutes.connection(id));
  const saved = await browser.post(bqeRoutes.connectionOffset(id), { utcOffsetMinutes: String(offset) });
  const page = saved.location ? await browser.get(saved.location) : undefined;
  const shown = /data-testid="offset-current">([^<]+)</.exec(page?.text ?? '')?.[1];
  const stored = stack.repo.get(id)?.utcOffsetMinutes;
  run.checks.require('Save Offset stores the UTC offset and the page shows it', saved.status === 303 && stored === offset && (shown ?? '').includes(`(${offset} minutes)`), `${answered(`POST ${bqeRoutes.connectionOffset(id)}`, saved)}; stored ${String(stored)}; shown "${shown ?? '-'}"`);
};

export const testConnection = async (run: SmokeRun, id: number): Promise<void> => {
  const { browser } = run;
  await browser.get(bqeRoutes.connection(id));
  const tested = await browser.post(bqeRoutes.connectionTest(id));
  const page = tested.location ? await browser.get(tested.location) : undefined;
  const flash = flashOf(page?.text ?? '');
  const sampleCount = Number(/sampleCount (\d+)/.exec(flash)?.[1] ?? 0);
  run.checks.record('Test connection reports a sampleCount above 0', tested.status === 303 && sampleCount > 0, `${answered(`POST ${bqeRoutes.connectionTest(id)}`, tested)}; flash: ${flash}`);
};

export const checkPageCounts = async (run: SmokeRun, id: number): Promise<void> => {
  const page = await run.browser.get(bqeRoutes.connection(id));
  const shown = [...page.text.matchAll(/data-testid="mirrored-count">(\d+) mirrored</g)].map((m) => Number(m[1]));
  const stored = [run.stack.mirrors.projectCounts(id).active, run.stack.mirrors.clientCounts(id).active];
  run.checks.record('the connection page shows the mirrored counts', JSON.stringify(shown) === JSON.stringify(stored), `shown ${shown.join(' / ') || '-'}; stored ${stored.join(' / ')}`);
};
