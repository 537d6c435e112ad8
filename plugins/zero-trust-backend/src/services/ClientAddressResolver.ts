import { InputError } from '@backstage/errors';
import * as ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** An address in one canonical text form: IPv4-mapped IPv6 becomes IPv4. */
export function normaliseAddress(text: string): string | undefined {
  const trimmed = text.trim();
  if (!ipaddr.isValid(trimmed)) {
    return undefined;
  }
  // ipaddr.js also reads the old inet_aton forms (010.1.2.3 as octal 8.1.2.3,
  // 1.2.3 as 1.2.0.3), which nginx and the regions engine do not: an IPv4
  // address counts only as four decimal parts without leading zeros, so
  // that one client cannot name itself two ways and fall outside its own
  // block.
  if (!trimmed.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(trimmed)) {
    return undefined;
  }
  return unmap(ipaddr.parse(trimmed)).toString();
}

function unmap(address: Address): Address {
  return address.kind() === 'ipv6' &&
    (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

/**
 * Finds the client's address behind the configured proxies. Each proxy
 * appends the address it received from to X-Forwarded-For, so the entries a
 * client wrote itself stand left of them; the rightmost address that is
 * not a trusted proxy is the first one nobody trusted vouches for, and so
 * the only one a client cannot forge.
 */
export class ClientAddressResolver {
  private readonly trusted: [Address, number][];

  static create(trustedProxies: string[]) {
    const ranges = trustedProxies.map(entry => {
      try {
        const [range, bits] = entry.includes('/')
          ? ipaddr.parseCIDR(entry)
          : [ipaddr.parse(entry), entry.includes(':') ? 128 : 32];
        const plain = unmap(range);
        return [plain, plain === range ? bits : bits - 96] as [Address, number];
      } catch (error) {
        throw new InputError(
          `zeroTrust.trustedProxies: '${entry}' is not an address or CIDR range`,
          error,
        );
      }
    });
    return new ClientAddressResolver(ranges);
  }

  private constructor(trusted: [Address, number][]) {
    this.trusted = trusted;
  }

  isTrusted(address: string) {
    const parsed = unmap(ipaddr.parse(address));
    return this.trusted.some(
      ([range, bits]) =>
        range.kind() === parsed.kind() && parsed.match(range, bits),
    );
  }

  /**
   * The client address for a request that reached us from `peer` with the
   * given X-Forwarded-For header; undefined when none can be read.
   */
  resolve(peer: string | undefined, forwardedFor: string | undefined) {
    const peerAddress = peer ? normaliseAddress(peer) : undefined;
    if (!peerAddress) {
      return undefined;
    }
    if (!forwardedFor || !this.isTrusted(peerAddress)) {
      return peerAddress;
    }

    const hops = forwardedFor.split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normaliseAddress(hops[i]);
      if (!hop) {
        // Garbage where an address should be: the client is unknown, and
        // naming a trusted proxy instead would block the proxy.
        return undefined;
      }
      if (!this.isTrusted(hop)) {
        return hop;
      }
    }

    // Every hop is a trusted proxy: the leftmost is the origin.
    return normaliseAddress(hops[0]);
  }
}
