import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runBqeSmoke, type SmokeResult } from '../../../src/smoke/bqe/run-smoke.js';

describe('the BQE smoke run (npm run bqe:smoke)', () => {
  const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bqe-smoke-test-'));
  const printed: string[] = [];
  let result: SmokeResult;

  before(async () => {
    result = await runBqeSmoke({ reportsDir, print: (line) => printed.push(line) });
  });

  after(() => {
    fs.rmSync(reportsDir, { recursive: true, force: true });
  });

  test('passes every check against the simulator and says so in the summary', () => {
    const failed = result.report.checks.filter((c) => !c.ok);
    assert.deepEqual(failed, [], `failed checks: ${JSON.stringify(failed, null, 2)}; error: ${result.report.error}`);
    assert.equal(result.passed, true);
    assert.equal(result.report.error, null);
    assert.ok(result.report.checks.length >= 25);
    assert.match(printed[0] ?? '', /^BQE smoke: PASSED \(\d+\/\d+ checks/);
    assert.ok(printed.some((line) => line.includes(result.files.json)));
  });

  test('writes a timestamped JSON report, a Markdown page and the hub log into the reports folder', () => {
    const names = fs.readdirSync(reportsDir).sort();
    assert.equal(names.length, 3, names.join(', '));
    const stamp = /^bqe-smoke-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)\.json$/.exec(path.basename(result.files.json))?.[1];
    assert.ok(stamp, result.files.json);
    assert.deepEqual(names, [`bqe-smoke-${stamp}.json`, `bqe-smoke-${stamp}.log`, `bqe-smoke-${stamp}.md`]);
    const saved = JSON.parse(fs.readFileSync(result.files.json, 'utf8')) as typeof result.report;
    assert.equal(saved.passed, true);
    assert.deepEqual(saved.checks, result.report.checks);
    const markdown = fs.readFileSync(result.files.markdown, 'utf8');
    assert.match(markdown, /^# BQE smoke run: PASSED/);
    assert.match(markdown, /\| pass \| Test connection reports a sampleCount above 0 \|/);
  });

  test('lists every request made to BQE with its where clause in full and the Authorization scheme only', () => {
    const { requests, setup } = result.report;
    const api = requests.filter((r) => r.path.startsWith(new URL(setup.apiBase).pathname));
    assert.ok(api.length >= 10);
    for (const r of api) {
      assert.equal(r.from, 'hub');
      assert.equal(r.headers.authorization, 'Bearer');
      assert.equal(r.headers.utcOffset, String(setup.utcOffsetMinutes));
      assert.deepEqual(Object.keys(r.query).filter((k) => !['page', 'where', 'orderBy'].includes(k)), []);
    }
    assert.ok(api.some((r) => /^lastUpdated >= '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d'$/.test(String(r.query.where))), 'the delta requests carry the where clause');
    const consent = requests.find((r) => r.from === 'browser');
    assert.equal(consent?.query.state, '(hidden)');
    const exchange = requests.find((r) => r.form?.grantType === 'authorization_code');
    assert.ok(exchange?.form?.fields.includes('code_verifier'));
    const text = fs.readFileSync(result.files.json, 'utf8');
    assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{10,}\./, 'no JWT (access token) in the report');
    assert.doesNotMatch(text, /switchyard-bqe-sim-secret/, 'no client secret in the report');
  });

  test('reports the simulator and mirror counts and every sync run', () => {
    const { counts } = result.report;
    assert.equal(counts.mirror.projects.active, counts.simulator.projects);
    assert.equal(counts.mirror.projects.deleted, 1);
    assert.equal(counts.mirror.clients.active, counts.simulator.clients);
    assert.deepEqual(
      counts.runs.map((r) => `${r.object} ${r.mode} ${r.status}`),
      ['project full succeeded', 'client full succeeded', 'project delta succeeded', 'client delta succeeded', 'project full succeeded', 'client full succeeded'],
    );
    assert.equal(counts.requests.api + counts.requests.identity, counts.requests.total);
  });

  test('removes the temporary data folder when the run passed', () => {
    assert.equal(result.report.setup.dataDir, null);
  });
});
