import {
  bigIntToWords,
  formatAddress,
  parseIPv4,
  parseNetwork,
} from '../nginx/addresses';

/** A small seeded generator, so that a failing address can be replayed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const word = (random: () => number) => Math.floor(random() * 0x100000000);

export function randomIPv4(random: () => number): string {
  return formatAddress({ family: 4, v4: word(random) });
}

/** Random IPv6, mostly in global unicast space where the networks are. */
export function randomIPv6(random: () => number): string {
  const first =
    random() < 0.7
      ? (0x2000 + Math.floor(random() * 0x1000)) * 0x10000 +
        Math.floor(random() * 0x10000)
      : word(random);
  return formatAddress({
    family: 6,
    words: [first, word(random), word(random), word(random)],
  });
}

export function randomMapped(random: () => number): string {
  return `::ffff:${randomIPv4(random)}`;
}

function text(family: 4 | 6, value: bigint): string | undefined {
  const max = family === 4 ? 0xffffffffn : (1n << 128n) - 1n;
  if (value < 0n || value > max) return undefined;
  return family === 4
    ? formatAddress({ family: 4, v4: Number(value) })
    : formatAddress({ family: 6, words: bigIntToWords(value) });
}

/**
 * The first and last address of every network and range, and the
 * addresses just outside them: where a lookup is most likely to be wrong.
 */
export function boundaryAddresses(networks: string[]): string[] {
  const out = new Set<string>();
  for (const network of networks) {
    let family: 4 | 6;
    let start: bigint;
    let end: bigint;
    const dash = network.indexOf('-');
    if (dash > 0) {
      family = 4;
      start = BigInt(parseIPv4(network.slice(0, dash))!);
      end = BigInt(parseIPv4(network.slice(dash + 1))!);
    } else {
      const parsed = parseNetwork(network);
      if (!parsed) continue;
      family = parsed.family;
      start = parsed.start;
      end =
        start +
        (1n << BigInt((family === 4 ? 32 : 128) - parsed.prefixLength)) -
        1n;
    }
    for (const value of [
      start - 1n,
      start,
      start + 1n,
      end - 1n,
      end,
      end + 1n,
    ]) {
      const address = text(family, value);
      if (address) out.add(address);
    }
  }
  return [...out];
}
