/** Address checks for outbound requests (webhooks): only public internet destinations. */

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    n = n * 256 + Number(part);
  }
  return n;
}

const PRIVATE_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

function inV4Range(ip: number, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ip & mask) >>> 0 === (ipv4ToInt(base)! & mask) >>> 0;
}

function expandIpv6(ip: string): number[] | undefined {
  let address = ip
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4) {
    const n = ipv4ToInt(v4[1]!);
    if (n === undefined) return undefined;
    address = address.slice(0, -v4[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

/** True for loopback, private, link-local (cloud metadata), shared, reserved, multicast and unspecified addresses. */
export function isPrivateAddress(ip: string): boolean {
  const v4 = ipv4ToInt(ip);
  if (v4 !== undefined) return PRIVATE_V4.some(([base, bits]) => inV4Range(v4, base, bits)) || v4 === 0xffffffff;
  const g = expandIpv6(ip);
  if (!g) return true;
  if (g.every((x) => x === 0)) return true; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true; // ::1
  const v4At = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  // v4-mapped / compatible
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0))
    return isPrivateAddress(v4At(g[6]!, g[7]!));
  // IPv4-translated (::ffff:0:a.b.c.d, RFC 2765).
  if (g.slice(0, 4).every((x) => x === 0) && g[4] === 0xffff && g[5] === 0) return isPrivateAddress(v4At(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b) {
    if (g[2] === 1) return true; // local-use NAT64 (RFC 8215): the network's own translator
    return isPrivateAddress(v4At(g[6]!, g[7]!)); // NAT64
  }
  if (g[0] === 0x2002) return isPrivateAddress(v4At(g[1]!, g[2]!)); // 6to4: the IPv4 address it carries
  const first = g[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // unique local
    (first & 0xffc0) === 0xfe80 || // link-local
    (first & 0xffc0) === 0xfec0 || // site-local (deprecated, still routed inside some networks)
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x2001 && g[1] === 0xdb8) || // documentation
    (first === 0x2001 && g[1] === 0) || // Teredo: a tunnel whose far end cannot be judged
    (first === 0x100 && g.slice(1, 4).every((x) => x === 0)) // discard-only (RFC 6666)
  );
}

export function isIpLiteral(host: string): boolean {
  return ipv4ToInt(host) !== undefined || host.includes(':');
}
