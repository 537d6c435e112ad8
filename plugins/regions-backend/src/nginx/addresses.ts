import ipaddr from 'ipaddr.js';

/**
 * A client address as the geo lookup needs it: IPv4 as an unsigned 32-bit
 * number, IPv6 as four unsigned 32-bit words (most significant first).
 */
export type Address =
  | { family: 4; v4: number }
  | { family: 6; words: [number, number, number, number] };

/** A network as nginx writes it in a geo block: start address and length. */
export interface Network {
  family: 4 | 6;
  /** The first address, as a bigint (IPv4 fits in 32 bits). */
  start: bigint;
  prefixLength: number;
  /** Whether the text had host bits set that nginx masks off (and warns). */
  lowBitsSet: boolean;
}

const DIGITS = /^[0-9]+$/;

/**
 * Dotted-quad IPv4 as nginx's ngx_inet_addr reads it: exactly four decimal
 * parts of 0-255. Unlike most parsers, nginx accepts leading zeros as
 * decimal ("010" is 10), so this does too. 255.255.255.255 is nginx's
 * INADDR_NONE, its "not an address", so it is refused as nginx refuses it
 * (a client address, X-Forwarded-For entry or range end).
 */
export function parseIPv4(text: string): number | undefined {
  // A character loop: this runs for every route lookup.
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return undefined;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) {
    return undefined;
  }
  value = value * 256 + octet;
  return value === 0xffffffff ? undefined : value;
}

function parseIPv6Words(text: string): number[] | undefined {
  // nginx has no notion of zone ids ("%eth0") in these addresses.
  if (text.includes('%') || !ipaddr.IPv6.isValid(text)) {
    return undefined;
  }
  const parts = ipaddr.IPv6.parse(text).parts;
  const words: number[] = [];
  for (let i = 0; i < 8; i += 2) {
    words.push(parts[i] * 0x10000 + parts[i + 1]);
  }
  return words;
}

/**
 * An address the way nginx's ngx_parse_addr reads one: IPv6 when the text
 * has a colon, IPv4 otherwise.
 */
export function parseAddress(text: string): Address | undefined {
  if (text.includes(':')) {
    const words = parseIPv6Words(text);
    return words
      ? { family: 6, words: words as [number, number, number, number] }
      : undefined;
  }

  const v4 = parseIPv4(text);
  return v4 === undefined ? undefined : { family: 4, v4 };
}

/**
 * An address with an optional port, as X-Forwarded-For entries may carry
 * ("192.0.2.1:8080", "[2001:db8::1]:443"), like nginx's
 * ngx_parse_addr_port.
 */
export function parseAddressWithPort(text: string): Address | undefined {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) {
      return undefined;
    }
    const rest = text.slice(close + 1);
    if (rest !== '' && !/^:[0-9]+$/.test(rest)) {
      return undefined;
    }
    return parseAddress(text.slice(1, close));
  }

  const colon = text.indexOf(':');
  if (colon >= 0 && colon === text.lastIndexOf(':')) {
    const port = text.slice(colon + 1);
    if (!DIGITS.test(port)) {
      return undefined;
    }
    return parseAddress(text.slice(0, colon));
  }
  return parseAddress(text);
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
export function mappedIPv4(address: Address): number | undefined {
  if (address.family !== 6) {
    return undefined;
  }
  const [w0, w1, w2, w3] = address.words;
  return w0 === 0 && w1 === 0 && w2 === 0xffff ? w3 : undefined;
}

export function addressToBigInt(address: Address): bigint {
  if (address.family === 4) {
    return BigInt(address.v4);
  }
  const [w0, w1, w2, w3] = address.words;
  return (
    (BigInt(w0) << 96n) | (BigInt(w1) << 64n) | (BigInt(w2) << 32n) | BigInt(w3)
  );
}

export function bigIntToWords(value: bigint): [number, number, number, number] {
  return [
    Number((value >> 96n) & 0xffffffffn),
    Number((value >> 64n) & 0xffffffffn),
    Number((value >> 32n) & 0xffffffffn),
    Number(value & 0xffffffffn),
  ];
}

/** Text of an address the way nginx prints $remote_addr. */
export function formatAddress(address: Address): string {
  if (address.family === 4) {
    return formatIPv4(address.v4);
  }
  const mapped = mappedIPv4(address);
  if (mapped !== undefined) {
    return `::ffff:${formatIPv4(mapped)}`;
  }
  const parts: number[] = [];
  for (const word of address.words) {
    parts.push(Math.floor(word / 0x10000), word % 0x10000);
  }
  return ipaddr
    .fromByteArray(parts.flatMap(part => [part >> 8, part & 0xff]))
    .toString();
}

export function formatIPv4(value: number): string {
  return [
    Math.floor(value / 0x1000000),
    Math.floor(value / 0x10000) % 256,
    Math.floor(value / 0x100) % 256,
    value % 256,
  ].join('.');
}

export function formatNetwork(family: 4 | 6, start: bigint, length: number) {
  const address: Address =
    family === 4
      ? { family: 4, v4: Number(start) }
      : { family: 6, words: bigIntToWords(start) };
  return `${formatAddress(address)}/${length}`;
}

/**
 * A network in CIDR form ("192.0.2.0/24", "2001:db8::/32") or a single
 * address (a /32 or /128), as nginx's ngx_ptocidr reads it.
 */
export function parseNetwork(text: string): Network | undefined {
  // The one way nginx's geo accepts the all-ones address.
  if (text === '255.255.255.255') {
    return {
      family: 4,
      start: 0xffffffffn,
      prefixLength: 32,
      lowBitsSet: false,
    };
  }
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseAddress(addressText);
  if (!address) {
    return undefined;
  }

  const bits = address.family === 4 ? 32 : 128;
  let prefixLength = bits;
  if (slash >= 0) {
    const lengthText = text.slice(slash + 1);
    if (!DIGITS.test(lengthText) || Number(lengthText) > bits) {
      return undefined;
    }
    prefixLength = Number(lengthText);
  }

  const value = addressToBigInt(address);
  const hostBits = BigInt(bits - prefixLength);
  const start = (value >> hostBits) << hostBits;
  return {
    family: address.family,
    start,
    prefixLength,
    lowBitsSet: start !== value,
  };
}
