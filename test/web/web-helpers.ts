import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { createAppContext, type AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { createWebApp } from '../../src/web/app.js';
import type { AppEnv } from '../../src/web/app-env.js';
import { Agent, TEST_PASSWORD, TEST_SCRYPT, tempDir, type TestHub } from '../helpers/hub.js';

/*
 * A small, forgiving HTML reader: enough to find elements by simple CSS
 * selectors and read their attributes and text. The project has no HTML
 * parser dependency, and the pages are our own well-formed templates.
 */

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export const decodeEntities = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e.toLowerCase()] ?? m;
  });

export class El {
  readonly children: (El | string)[] = [];
  constructor(
    readonly tag: string,
    readonly attrs: Record<string, string>,
    readonly parent: El | undefined,
  ) {}

  attr(name: string): string | undefined {
    return this.attrs[name];
  }

  has(name: string): boolean {
    return name in this.attrs;
  }

  get classes(): string[] {
    return (this.attrs.class ?? '').split(/\s+/).filter(Boolean);
  }

  /** Text content with whitespace collapsed, as a reader would see it. */
  text(): string {
    return this.rawText().replace(/\s+/g, ' ').trim();
  }

  rawText(): string {
    return this.children.map((c) => (typeof c === 'string' ? c : c.rawText())).join('');
  }

  elements(): El[] {
    const out: El[] = [];
    const walk = (el: El) => {
      for (const c of el.children) {
        if (typeof c === 'string') continue;
        out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }

  findAll(selector: string): El[] {
    const groups = selector.split(/,(?![^[]*\])/).map((s) => parseSelector(s.trim()));
    return this.elements().filter((el) => groups.some((g) => matchesChain(el, g, this)));
  }

  find(selector: string): El | undefined {
    return this.findAll(selector)[0];
  }

  /** Like find, but fails the test with the selector when nothing matches. */
  get(selector: string): El {
    const el = this.find(selector);
    assert.ok(el, `expected an element matching ${selector}`);
    return el;
  }

  closest(selector: string): El | undefined {
    const chain = parseSelector(selector);
    for (let el = this.parent; el; el = el.parent) if (el.tag !== '#document' && matchesChain(el, chain, undefined)) return el;
    return undefined;
  }
}

export interface HtmlDocument extends El {
  /** Close tags that matched nothing, and elements left open at the end. */
  readonly problems: string[];
}

export const parseHtml = (source: string): HtmlDocument => {
  const root = new El('#document', {}, undefined) as El & { problems: string[] };
  root.problems = [];
  const stack: El[] = [root];
  const top = () => stack[stack.length - 1]!;
  const token = /<!--[\s\S]*?-->|<!doctype[^>]*>|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/gi;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = token.exec(source))) {
    if (m.index > last) top().children.push(decodeEntities(source.slice(last, m.index)));
    last = token.lastIndex;
    if (m[1]) {
      const name = m[1].toLowerCase();
      const at = stack.map((e) => e.tag).lastIndexOf(name);
      if (at <= 0) root.problems.push(`stray </${name}>`);
      else {
        for (const open of stack.slice(at + 1)) root.problems.push(`<${open.tag}> closed by </${name}>`);
        stack.length = at;
      }
    } else if (m[2]) {
      const name = m[2].toLowerCase();
      const attrs: Record<string, string> = {};
      for (const a of (m[3] ?? '').matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
        attrs[a[1]!.toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
      }
      const el = new El(name, attrs, top());
      top().children.push(el);
      if (RAW_TEXT.has(name)) {
        const end = source.toLowerCase().indexOf(`</${name}`, last);
        const stop = end === -1 ? source.length : end;
        const raw = source.slice(last, stop);
        el.children.push(name === 'script' || name === 'style' ? raw : decodeEntities(raw));
        const close = source.indexOf('>', stop);
        token.lastIndex = last = close === -1 ? source.length : close + 1;
      } else if (!VOID.has(name) && !m[4]) stack.push(el);
    }
  }
  if (last < source.length) top().children.push(decodeEntities(source.slice(last)));
  for (const open of stack.slice(1)) root.problems.push(`<${open.tag}> never closed`);
  return root;
};

interface Compound {
  tag?: string;
  id?: string;
  classes: string[];
  attrs: { name: string; op?: string; value?: string }[];
}
type Chain = { compound: Compound; combinator: ' ' | '>' }[];

const parseSelector = (selector: string): Chain => {
  const chain: Chain = [];
  let i = 0;
  let combinator: ' ' | '>' = ' ';
  while (i < selector.length) {
    if (/\s/.test(selector[i]!)) {
      i++;
      continue;
    }
    if (selector[i] === '>') {
      combinator = '>';
      i++;
      continue;
    }
    const compound: Compound = { classes: [], attrs: [] };
    while (i < selector.length && !/[\s>]/.test(selector[i]!)) {
      const ch = selector[i]!;
      if (ch === '[') {
        const end = selector.indexOf(']', i);
        const body = selector.slice(i + 1, end);
        const am = /^([\w-]+)\s*(?:([~^$*|]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]]*)))?$/.exec(body.trim());
        assert.ok(am, `bad attribute selector [${body}]`);
        compound.attrs.push({ name: am[1]!.toLowerCase(), ...(am[2] ? { op: am[2], value: am[3] ?? am[4] ?? am[5] ?? '' } : {}) });
        i = end + 1;
      } else {
        const nm = /^([#.]?)([\w-]+)/.exec(selector.slice(i));
        assert.ok(nm, `bad selector ${selector} at ${i}`);
        if (nm[1] === '#') compound.id = nm[2];
        else if (nm[1] === '.') compound.classes.push(nm[2]!);
        else compound.tag = nm[2]!.toLowerCase();
        i += nm[0].length;
      }
    }
    chain.push({ compound, combinator });
    combinator = ' ';
  }
  return chain;
};

const matchesCompound = (el: El, c: Compound): boolean => {
  if (c.tag && c.tag !== '*' && el.tag !== c.tag) return false;
  if (c.id !== undefined && el.attrs.id !== c.id) return false;
  if (c.classes.some((cls) => !el.classes.includes(cls))) return false;
  return c.attrs.every(({ name, op, value }) => {
    const actual = el.attrs[name];
    if (actual === undefined) return false;
    if (!op || value === undefined) return true;
    if (op === '=') return actual === value;
    if (op === '^=') return actual.startsWith(value);
    if (op === '$=') return actual.endsWith(value);
    if (op === '*=') return actual.includes(value);
    if (op === '~=') return actual.split(/\s+/).includes(value);
    return actual === value || actual.startsWith(`${value}-`);
  });
};

/** Right-to-left match of a selector chain; ancestors stop at `scope` (exclusive) when given. */
const matchesChain = (el: El, chain: Chain, scope: El | undefined): boolean => {
  const at = (node: El | undefined, index: number): boolean => {
    if (!node || node === scope || node.tag === '#document') return false;
    const step = chain[index]!;
    if (!matchesCompound(node, step.compound)) return false;
    if (index === 0) return true;
    if (step.combinator === '>') return at(node.parent, index - 1);
    for (let p = node.parent; p && p !== scope && p.tag !== '#document'; p = p.parent) if (at(p, index - 1)) return true;
    return false;
  };
  return at(el, chain.length - 1);
};

/* ---------------------------------------------------------------- responses */

/** Reads an HTML response (asserting it is HTML) and parses it. */
export const html = async (res: Response): Promise<HtmlDocument> => {
  assert.match(res.headers.get('Content-Type') ?? '', /^text\/html/, `expected HTML, got ${res.headers.get('Content-Type')} (status ${res.status})`);
  return parseHtml(await res.text());
};

/** The page's own content (inside <main>), as text. */
export const mainText = (doc: El): string => doc.get('main').text();

export interface SetCookie {
  value: string;
  attrs: Record<string, string | true>;
}

/** The Set-Cookie for one name in a response, with attributes keyed in lower case. */
export const setCookie = (res: Response, name: string): SetCookie | undefined => {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...rest] = line.split(';');
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq).trim() !== name) continue;
    const attrs: Record<string, string | true> = {};
    for (const a of rest) {
      const [k, ...v] = a.trim().split('=');
      attrs[k!.toLowerCase()] = v.length ? v.join('=') : true;
    }
    return { value: pair!.slice(eq + 1), attrs };
  }
  return undefined;
};

/** The location a redirect points to, asserting the status. */
export const redirectTarget = (res: Response, status = 303): string => {
  assert.equal(res.status, status, `expected a ${status} redirect, got ${res.status}`);
  const location = res.headers.get('Location');
  assert.ok(location, 'redirect without Location');
  return location;
};

/**
 * The fields a browser would submit for a form: enabled named inputs (checked
 * boxes only), textareas and each select's chosen option. Later same-name
 * fields follow earlier ones, as in a real submission.
 */
export const formData = (form: El): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const prev = out[name];
    out[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  };
  for (const el of form.elements()) {
    const name = el.attr('name');
    if (!name || el.has('disabled')) continue;
    if (el.tag === 'input') {
      const type = el.attr('type') ?? 'text';
      if ((type === 'checkbox' || type === 'radio') && !el.has('checked')) continue;
      if (type === 'submit' || type === 'button' || type === 'file') continue;
      add(name, el.attr('value') ?? (type === 'checkbox' ? 'on' : ''));
    } else if (el.tag === 'textarea') add(name, el.rawText().replace(/^\n/, ''));
    else if (el.tag === 'select') {
      const options = el.findAll('option');
      const chosen = options.find((o) => o.has('selected')) ?? options[0];
      if (chosen) add(name, chosen.attr('value') ?? chosen.text());
    }
  }
  return out;
};

/* ------------------------------------------------------------- hub helpers */

/** The Cookie header an agent would send, for requests made with app.request() directly (multipart bodies). */
export const cookieHeader = (agent: Agent): string => [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** Runs the first-run setup through the page, as the first admin would, and returns their agent. */
export const setupAdmin = async (hub: TestHub, email = 'first@example.com'): Promise<Agent> => {
  const agent = hub.agent();
  const res = await agent.request('POST', '/setup', { form: { name: 'First Admin', email, password: TEST_PASSWORD, confirm: TEST_PASSWORD } });
  assert.equal(res.status, 303, 'setup should succeed');
  await agent.refreshCsrf();
  return agent;
};

/** A user created directly through the service (no web request), for tests that need someone to act on. */
export const createUser = (ctx: AppContext, email: string, role: 'viewer' | 'operator' | 'admin' = 'viewer') =>
  ctx.users.create({ userId: null, email: 'test-setup', role: 'admin', ip: null, requestId: null }, { email, name: email.split('@')[0]!, role, password: TEST_PASSWORD });

/** A user's id by email, straight from the database. */
export const userId = (ctx: AppContext, email: string): number => {
  const row = ctx.db.sqlite.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number } | undefined;
  assert.ok(row, `no user ${email}`);
  return row.id;
};

/** Counts rows in the audit log for an action. */
export const auditCount = (ctx: AppContext, action: string): number =>
  (ctx.db.sqlite.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n;

export interface LoggedHub {
  ctx: AppContext;
  app: Hono<AppEnv>;
  clock: ManualClock;
  /** Every JSON line the logger wrote, raw. */
  lines: string[];
  agent(): Agent;
  close(): void;
}

/** A hub whose logger writes JSON at info level into memory, for assertions on log lines. */
export const startLoggedHub = async (env: Record<string, string> = {}): Promise<LoggedHub> => {
  const dataDir = tempDir();
  const config = loadConfig({ HUB_DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env }, false);
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'info', format: 'json', destination });
  const clock = new ManualClock(Date.now());
  const pluginsDir = tempDir('switchyard-plugins-');
  const ctx = await createAppContext(config, logger, { clock, pluginsDir, scrypt: TEST_SCRYPT, sleep: async () => undefined });
  const app = createWebApp(ctx);
  return { ctx, app, clock, lines, agent: () => new Agent(app), close: () => ctx.close() };
};

/** The folder of a fixture plugin that adds pages, a menu item, settings and help. */
export const FIXTURE_PLUGINS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'plugins');

/** Help topic names shipped in user_guides/. */
export const shippedHelpTopics = (dir: string): string[] =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.replace(/\.md$/, ''))
    .sort();
