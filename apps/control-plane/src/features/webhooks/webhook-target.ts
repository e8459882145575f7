import { BlockList, isIP } from 'node:net';

// Addresses a webhook may not reach unless private targets are allowed: what an attacker would
// aim a server-side request at (loopback services, the internal network, cloud metadata at
// 169.254.169.254 / fd00:ec2::254), plus ranges that are never a public endpoint.
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/**
 * The IPv4 address an IPv6 one carries (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, the
 * deprecated compatible `::a.b.c.d`): a connection to it reaches that IPv4 host.
 */
function embeddedIpv4(address: string): string | undefined {
  const match =
    /^(?:::ffff:|64:ff9b::|::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(
      address,
    );
  if (!match) return undefined;
  if (match[1] !== undefined) return match[1];
  const high = parseInt(match[2] ?? '0', 16);
  const low = parseInt(match[3] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True when `address` (an IP literal) is loopback, private, link-local, metadata or reserved. */
export function isBlockedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return blocked.check(bare, 'ipv4');
  if (version !== 6) return true;
  const v4 = embeddedIpv4(bare.toLowerCase());
  if (v4 !== undefined && isIP(v4) === 4) return blocked.check(v4, 'ipv4');
  return blocked.check(bare, 'ipv6');
}

/** Host names that always mean this machine, whatever DNS says. */
function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isLoopbackName(bare)) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

/**
 * Why `url` cannot be a webhook target, or undefined when it can. https always; plain http only
 * to loopback and only where private targets are allowed (local development). Host names are
 * checked again at connect time, on the address DNS gives.
 */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute https URL';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry credentials';
  if (parsed.hash !== '' || url.includes('#')) return 'must not have a fragment';
  if (parsed.protocol === 'http:') {
    if (!allowPrivate || !isLoopbackHost(parsed.hostname)) {
      return 'must be https (plain http only to loopback, where private targets are allowed)';
    }
    return undefined;
  }
  if (parsed.protocol !== 'https:') return 'must be an https URL';
  if (allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isLoopbackName(host) || (isIP(host) !== 0 && isBlockedAddress(host))) {
    return 'must not target a loopback, private, link-local or metadata address';
  }
  return undefined;
}
