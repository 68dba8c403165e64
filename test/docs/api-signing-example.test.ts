import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { canonicalString, signRequest } from '../../src/auth/api-credentials/hmac-signature.js';
import { API_SCOPES } from '../../src/auth/api-credentials/scopes.js';
import { projectPath } from '../../src/paths.js';
import { tempDir } from '../helpers/hub.js';

/*
 * The help topic "API" promises exact figures and runnable code. These tests
 * recompute them with the hub's own signing code, so the page cannot drift.
 */

const GUIDE = fs.readFileSync(projectPath('user_guides', 'api.md'), 'utf8');

/** The text of one `##`/`###` section, up to the next heading of the same or a higher level. */
const section = (heading: string): string => {
  const start = GUIDE.indexOf(`${heading}\n`);
  assert.ok(start >= 0, `the guide has a "${heading}" section`);
  const level = heading.indexOf(' ');
  const rest = GUIDE.slice(start + heading.length + 1);
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return next === -1 ? rest : rest.slice(0, next);
};

const codeBlocks = (text: string, lang: string): string[] => [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

const example = (() => {
  const block = codeBlocks(section('### Worked example'), 'text')[0]!;
  const value = (key: string) => new RegExp(`^${key}:\\s+(.+)$`, 'm').exec(block)![1]!;
  return { secret: value('secret'), method: value('method'), path: value('path'), timestamp: value('timestamp'), nonce: value('nonce'), body: value('body') };
})();

const documentedSignatures = (): string[] => [...section('### Worked example').matchAll(/^X-Signature: ([0-9a-f]{64})$/gm)].map((m) => m[1]!);

test("the worked example's signature is what the hub computes for its values", () => {
  const [signature] = documentedSignatures();
  assert.equal(signRequest(example.secret, example.method, example.path, example.timestamp, example.nonce, Buffer.from(example.body)), signature);
});

test('the worked example shows the signed bytes and their length exactly', () => {
  const canonical = canonicalString(example.method, example.path, example.timestamp, example.nonce, Buffer.from(example.body));
  const text = section('### Worked example');
  const shown = codeBlocks(text, 'text')[1]!.trim();
  assert.equal(shown.replaceAll('\\n', '\n'), canonical.toString('utf8'));
  assert.match(text, new RegExp(`these ${canonical.length} bytes`));
});

test('the bodiless example with a query string is signed as documented', () => {
  const text = section('### Worked example');
  const [, signature] = documentedSignatures();
  const signed = /signs `([^`]+)`/.exec(text)![1]!.replaceAll('\\n', '\n');
  const [method, target, timestamp, nonce, rest] = signed.split('\n');
  assert.equal(rest, '', 'nothing follows the last line feed');
  assert.match(text, new RegExp(`\`${method} ${target!.replace(/[?]/g, '\\?')}\``));
  assert.equal(signRequest(example.secret, method!, target!, timestamp!, nonce!, Buffer.alloc(0)), signature);
});

test("the openssl command in the guide prints the example's signature", (t) => {
  const command = codeBlocks(section('### Worked example'), 'sh')[0]!;
  const run = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
  if (run.error) return t.skip('sh or openssl is not available');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(/([0-9a-f]{64})\s*$/.exec(run.stdout)?.[1], documentedSignatures()[0]);
});

test('the scopes table lists every scope with its description, and nothing else', () => {
  const rows = [...section('## Scopes').matchAll(/^\| `([a-z]+:[a-z]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(rows, Object.entries(API_SCOPES));
});

test("the Python client's sign method gives the example's signature", (t) => {
  const [client] = codeBlocks(section('### Python'), 'python');
  const probe = `${client}\nprint(SwitchyardClient("http://hub", "sy_x", ${JSON.stringify(example.secret)}).sign(${[example.method, example.path, example.timestamp, example.nonce].map((v) => JSON.stringify(v)).join(', ')}, ${JSON.stringify(example.body)}.encode("utf-8")))\n`;
  const run = spawnSync('python3', ['-c', probe], { encoding: 'utf8' });
  if (run.error) return t.skip('python3 is not installed');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), documentedSignatures()[0]);
});

test("the Node example's sign function gives the example's signature", async () => {
  const [module] = codeBlocks(section('### Node'), 'js');
  const file = path.join(tempDir('switchyard-doc-'), 'switchyard.mjs');
  fs.writeFileSync(file, module!);
  const { sign } = (await import(pathToFileURL(file).href)) as { sign: (...args: string[]) => string };
  assert.equal(sign(example.secret, example.method, example.path, example.timestamp, example.nonce, example.body), documentedSignatures()[0]);
});

test('the guide links the credentials page and the API reference', () => {
  assert.match(GUIDE, /\]\(\/admin\/api\/credentials\)/);
  assert.match(GUIDE, /\]\(\/admin\/api\/reference\)/);
});
