import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

type Refusal = { ok: false; reason: string };
export type IpRangeParse = { ok: true; normalized: string } | Refusal;

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address it carries, so one rule covers both spellings. */
const parseAddress = (text: string): Address | undefined => {
  const trimmed = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(trimmed)) return ipaddr.IPv4.parse(trimmed);
  if (!ipaddr.IPv6.isValid(trimmed)) return undefined;
  const v6 = ipaddr.IPv6.parse(trimmed);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
};

const show = (address: Address): string => (address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString());

/** The canonical text of an IP address (IPv4-mapped IPv6 shown as IPv4), or undefined when it is not one. */
export const normalizeIp = (text: string): string | undefined => {
  const address = parseAddress(text);
  return address ? show(address) : undefined;
};

const parseRange = (text: string): Range | Refusal => {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash === -1) {
    const address = parseAddress(trimmed);
    if (!address) return { ok: false, reason: `"${trimmed}" is not an IP address or CIDR block (for example 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32)` };
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  }
  const bitsText = trimmed.slice(slash + 1);
  const address = parseAddress(trimmed.slice(0, slash));
  if (!address || !/^\d{1,3}$/.test(bitsText)) return { ok: false, reason: `"${trimmed}" is not a CIDR block (for example 10.0.0.0/8 or 2001:db8::/32)` };
  let bits = Number(bitsText);
  const mapped = address.kind() === 'ipv4' && trimmed.includes(':');
  if (mapped) bits -= 96;
  const max = address.kind() === 'ipv4' ? 32 : 128;
  if (bits < 0 || bits > max) return { ok: false, reason: `"${trimmed}" has a prefix length outside ${mapped ? '96-128' : `0-${max}`}` };
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${show(address)}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${show(address)}/${bits}`);
  if (show(network) !== show(address)) return { ok: false, reason: `"${trimmed}" has bits set after the prefix; did you mean ${show(network)}/${bits}?` };
  return [network, bits];
};

const isRange = (value: Range | Refusal): value is Range => Array.isArray(value);

const rangeText = ([address, bits]: Range): string => (bits === (address.kind() === 'ipv4' ? 32 : 128) ? show(address) : `${show(address)}/${bits}`);

/** Checks one allowlist entry and gives its canonical text (203.0.113.7, 10.0.0.0/8, 2001:db8::/32). */
export const parseIpRange = (text: string): IpRangeParse => {
  const parsed = parseRange(text);
  return isRange(parsed) ? { ok: true, normalized: rangeText(parsed) } : parsed;
};

export interface IpAllowlist {
  readonly isEmpty: boolean;
  /** True when the address (any spelling, IPv4-mapped included) lies in one of the entries. */
  matches(ip: string): boolean;
}

/** Compiles addresses and CIDR blocks once; throws on an entry parseIpRange would refuse. */
export const ipAllowlist = (entries: readonly string[]): IpAllowlist => {
  const ranges = entries.map((entry) => {
    const parsed = parseRange(entry);
    if (!isRange(parsed)) throw new Error(parsed.reason);
    return parsed;
  });
  return {
    isEmpty: ranges.length === 0,
    matches(ip: string): boolean {
      const address = parseAddress(ip);
      if (!address) return false;
      return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
    },
  };
};

/**
 * The client's address as a proxy chain reports it. X-Forwarded-For is only
 * believed when the socket peer is a trusted proxy; then the hops are read
 * from the right, skipping trusted proxies, and the first other address is
 * the client. A hop that is not an address stops the walk at the last
 * trusted one, since anything left of it may be forged.
 */
export const forwardedClientIp = (peer: string, forwardedFor: string | undefined, trustedProxies: IpAllowlist): string => {
  const peerIp = normalizeIp(peer);
  if (!peerIp) return peer;
  if (!forwardedFor || trustedProxies.isEmpty || !trustedProxies.matches(peerIp)) return peerIp;
  let client = peerIp;
  const hops = forwardedFor.split(',').map((hop) => hop.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]!);
    if (!hop) return client;
    client = hop;
    if (!trustedProxies.matches(hop)) return hop;
  }
  return client;
};
