import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** One address a host name resolves to, as `dns.lookup` gives it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to its addresses (the system resolver by default; tests give their own). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolveHost: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/** Addresses a webhook must not reach: this host, private networks, link-local (cloud metadata), etc. */
const privateRanges: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network", 0.0.0.0 reaches the local host
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, 169.254.169.254 is the cloud metadata service
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'], // NAT64: an IPv4 address inside
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['ff00::', 8, 'ipv6'], // multicast
];
const blocked = new BlockList();
for (const [network, prefix, type] of privateRanges) blocked.addSubnet(network, prefix, type);

/** Whether `address` (an IP literal; IPv4-mapped IPv6 counts as its IPv4) is one a webhook must not reach. */
export function isPrivateAddress(address: string): boolean {
  const type = isIP(address);
  if (type === 0) return true; // not an address: refuse rather than guess
  return blocked.check(address, type === 4 ? 'ipv4' : 'ipv6');
}

/** Why a webhook cannot be sent to `url`: a public-internet rule broken. */
export class PrivateWebhook extends Error {}

/** A URL's host without IPv6 brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Resolves the URL's host once and checks every address it gives; returns them, the addresses to connect
 * to. Throws `PrivateWebhook` naming the address when one is private (unless `allowPrivate`), or when
 * the name does not resolve.
 */
export async function publicAddressOf(
  url: URL,
  resolveHost: ResolveHost,
  allowPrivate = false,
): Promise<ResolvedAddress[]> {
  const host = hostOf(url);
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal !== 0) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolveHost(host);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new PrivateWebhook(`host ${host} does not resolve${code ? ` (${code})` : ''}`);
    }
    if (addresses.length === 0) throw new PrivateWebhook(`host ${host} does not resolve`);
  }
  const inside = !allowPrivate && addresses.find(({ address }) => isPrivateAddress(address));
  if (inside) {
    throw new PrivateWebhook(
      `resolves to a private address ${inside.address}; webhooks must reach the public internet`,
    );
  }
  return addresses;
}
