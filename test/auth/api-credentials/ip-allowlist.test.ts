import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { forwardedClientIp, ipAllowlist, normalizeIp, parseIpRange } from '../../../src/auth/api-credentials/ip-allowlist.js';

describe('IP allowlists', () => {
  test('normalises addresses and blocks to one spelling', () => {
    const cases: [string, string][] = [
      ['203.0.113.7', '203.0.113.7'],
      [' 10.0.0.0/8 ', '10.0.0.0/8'],
      ['10.1.2.3/32', '10.1.2.3'],
      ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
      ['2001:db8::/32', '2001:db8::/32'],
      ['::ffff:127.0.0.1', '127.0.0.1'],
      ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
      ['::1', '::1'],
    ];
    for (const [text, normalized] of cases) assert.deepEqual(parseIpRange(text), { ok: true, normalized }, text);
  });

  test('refuses what is not an address or block, with a sentence saying why', () => {
    for (const bad of ['', 'localhost', '127.1', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/x', '300.1.1.1', '1.2.3.4/8/8']) {
      const parsed = parseIpRange(bad);
      assert.equal(parsed.ok, false, bad);
    }
    const hostBits = parseIpRange('10.0.0.1/8');
    assert.deepEqual(hostBits, { ok: false, reason: '"10.0.0.1/8" has bits set after the prefix; did you mean 10.0.0.0/8?' });
  });

  test('matches single IPv4 addresses and CIDR blocks', () => {
    const list = ipAllowlist(['127.0.0.1', '10.0.0.0/8', '192.168.1.128/25']);
    assert.equal(list.matches('127.0.0.1'), true);
    assert.equal(list.matches('127.0.0.2'), false);
    assert.equal(list.matches('10.255.0.9'), true);
    assert.equal(list.matches('11.0.0.1'), false);
    assert.equal(list.matches('192.168.1.200'), true);
    assert.equal(list.matches('192.168.1.127'), false);
  });

  test('matches IPv6 addresses and blocks', () => {
    const list = ipAllowlist(['2001:db8::/32', '::1', 'fe80::/10']);
    assert.equal(list.matches('2001:db8:ffff::1'), true);
    assert.equal(list.matches('2001:db9::1'), false);
    assert.equal(list.matches('0:0:0:0:0:0:0:1'), true);
    assert.equal(list.matches('fe80::1234'), true);
    assert.equal(list.matches('::2'), false);
  });

  test('an IPv4-mapped IPv6 address matches its IPv4 rule, and the other way round', () => {
    assert.equal(ipAllowlist(['127.0.0.1']).matches('::ffff:127.0.0.1'), true);
    assert.equal(ipAllowlist(['10.0.0.0/8']).matches('::ffff:10.2.3.4'), true);
    assert.equal(ipAllowlist(['::ffff:127.0.0.1']).matches('127.0.0.1'), true);
    assert.equal(ipAllowlist(['127.0.0.1']).matches('::ffff:127.0.0.2'), false);
  });

  test('IPv4 rules never match IPv6 addresses or text that is not an address', () => {
    const list = ipAllowlist(['0.0.0.0/0']);
    assert.equal(list.matches('2001:db8::1'), false);
    for (const junk of ['local', 'unknown', '', '127.0.0.1, 10.0.0.1']) assert.equal(list.matches(junk), false, junk);
  });

  test('an empty list matches nothing and says it is empty', () => {
    const list = ipAllowlist([]);
    assert.equal(list.isEmpty, true);
    assert.equal(list.matches('127.0.0.1'), false);
  });

  test('normalizeIp gives the canonical address or undefined', () => {
    assert.equal(normalizeIp('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(normalizeIp('2001:0db8::0001'), '2001:db8::1');
    assert.equal(normalizeIp('local'), undefined);
  });
});

describe('the client address behind proxies', () => {
  const trusted = ipAllowlist(['10.0.0.0/8', '::1']);

  test('ignores X-Forwarded-For unless the peer is a trusted proxy', () => {
    assert.equal(forwardedClientIp('198.51.100.9', '203.0.113.7', trusted), '198.51.100.9');
    assert.equal(forwardedClientIp('198.51.100.9', '203.0.113.7', ipAllowlist([])), '198.51.100.9');
  });

  test('takes the right-most address that is not a trusted proxy', () => {
    assert.equal(forwardedClientIp('10.0.0.2', '203.0.113.7', trusted), '203.0.113.7');
    assert.equal(forwardedClientIp('10.0.0.2', '1.1.1.1, 203.0.113.7, 10.0.0.5', trusted), '203.0.113.7');
    assert.equal(forwardedClientIp('::1', '2001:db8::7', trusted), '2001:db8::7');
  });

  test('a forged left-most entry does not win', () => {
    assert.equal(forwardedClientIp('10.0.0.2', '127.0.0.1, 198.51.100.20', trusted), '198.51.100.20');
  });

  test('when every hop is trusted, the left-most one is the client', () => {
    assert.equal(forwardedClientIp('10.0.0.2', '10.9.9.9, 10.0.0.5', trusted), '10.9.9.9');
  });

  test('stops at a hop that is not an address, keeping the last trusted one', () => {
    assert.equal(forwardedClientIp('10.0.0.2', '203.0.113.7, junk, 10.0.0.5', trusted), '10.0.0.5');
    assert.equal(forwardedClientIp('10.0.0.2', 'junk', trusted), '10.0.0.2');
  });

  test('shows an IPv4-mapped peer as IPv4', () => {
    assert.equal(forwardedClientIp('::ffff:127.0.0.1', undefined, trusted), '127.0.0.1');
    assert.equal(forwardedClientIp('::ffff:10.0.0.2', '203.0.113.7', trusted), '203.0.113.7');
  });
});
