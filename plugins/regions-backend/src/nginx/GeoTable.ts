import { InputError } from '@backstage/errors';
import {
  Address,
  bigIntToWords,
  formatIPv4,
  formatNetwork,
  mappedIPv4,
  parseAddress,
  parseAddressWithPort,
  parseIPv4,
  parseNetwork,
} from './addresses';
import { NginxDirective } from './parseNginxConfig';

/** A network (CIDR or range) of a geo block and the value it maps to. */
export interface GeoEntry {
  /** As written: "192.0.2.0/24", "10.0.0.0-10.0.255.255", "default". */
  network: string;
  family: 4 | 6;
  value: string;
}

/** The answer for one address, with the network that gave it. */
export interface GeoAnswer {
  value: string;
  /** The entry that matched, or undefined when the default applied. */
  network?: string;
  /** The address the lookup used, after X-Forwarded-For for proxies. */
  address?: Address;
  /** Whether the address came from X-Forwarded-For. */
  forwarded?: boolean;
}

/** Problems nginx reports as warnings and still loads the file. */
export interface GeoWarning {
  message: string;
  file: string;
  line: number;
}

const IPV4_MAX = 0xffffffffn;
const IPV6_MAX = (1n << 128n) - 1n;
const INADDR_NONE = 0xffffffff;

interface Prefix {
  start: bigint;
  end: bigint;
  length: number;
  value: string;
  label: string;
}

/**
 * Disjoint intervals that cover the whole address space in order; the
 * value of an address is the value of the last interval starting at or
 * before it. Lookups are a binary search over typed arrays.
 */
class IntervalTable4 {
  constructor(
    readonly starts: Uint32Array,
    readonly valueIndexes: Uint32Array,
  ) {}

  find(address: number): number {
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (starts[middle] <= address) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return this.valueIndexes[low];
  }
}

class IntervalTable6 {
  constructor(
    /** Four words per interval start. */
    readonly starts: Uint32Array,
    readonly valueIndexes: Uint32Array,
  ) {}

  private startAtOrBefore(i: number, w: [number, number, number, number]) {
    const s = this.starts;
    const at = i * 4;
    for (let k = 0; k < 4; k++) {
      if (s[at + k] !== w[k]) {
        return s[at + k] < w[k];
      }
    }
    return true;
  }

  find(words: [number, number, number, number]): number {
    let low = 0;
    let high = this.valueIndexes.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.startAtOrBefore(middle, words)) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return this.valueIndexes[low];
  }
}

/** Interns values and network labels so intervals store small indexes. */
class Answers {
  readonly list: Array<{ value: string; network?: string }> = [];
  private readonly index = new Map<string, number>();

  add(value: string, network?: string) {
    const key = `${network ?? ''}\u0000${value}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push({ value, network });
      this.index.set(key, i);
    }
    return i;
  }
}

/**
 * Turns nested prefixes (CIDR networks never partly overlap) into
 * disjoint intervals where the most specific prefix wins, whatever the
 * order the networks were written in.
 */
function flattenPrefixes(
  prefixes: Prefix[],
  max: bigint,
  fallback: number,
  answers: Answers,
): Array<{ start: bigint; answer: number }> {
  const sorted = [...prefixes].sort((a, b) => {
    if (a.start !== b.start) return a.start < b.start ? -1 : 1;
    return a.length - b.length;
  });
  const out: Array<{ start: bigint; answer: number }> = [];
  // A later boundary at the same start replaces the earlier one; equal
  // neighbours merge, so the table holds only real changes of value.
  const emit = (start: bigint, answer: number) => {
    const last = out[out.length - 1];
    if (last && last.start === start) {
      out.pop();
    }
    const previous = out[out.length - 1];
    if (!previous || previous.answer !== answer) {
      out.push({ start, answer });
    }
  };
  const stack: Array<{ end: bigint; answer: number }> = [];
  const current = () =>
    stack.length > 0 ? stack[stack.length - 1].answer : fallback;

  emit(0n, fallback);
  for (const prefix of sorted) {
    while (stack.length > 0 && stack[stack.length - 1].end < prefix.start) {
      const top = stack.pop()!;
      emit(top.end + 1n, current());
    }
    const answer = answers.add(prefix.value, prefix.label);
    emit(prefix.start, answer);
    stack.push({ end: prefix.end, answer });
  }
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.end < max) {
      emit(top.end + 1n, current());
    }
  }
  return out;
}

function prefixEnd(start: bigint, length: number, bits: number) {
  return start + (1n << BigInt(bits - length)) - 1n;
}

type Trust = Array<{ family: 4 | 6; start: bigint; end: bigint }>;

function inTrusted(address: Address, trusted: Trust) {
  const value =
    address.family === 4
      ? BigInt(address.v4)
      : (BigInt(address.words[0]) << 96n) |
        (BigInt(address.words[1]) << 64n) |
        (BigInt(address.words[2]) << 32n) |
        BigInt(address.words[3]);
  return trusted.some(
    t => t.family === address.family && value >= t.start && value <= t.end,
  );
}

/**
 * The last address of an X-Forwarded-For value and the text before it,
 * the way nginx walks the header from its right end.
 */
function lastForwarded(xff: string): { text: string; rest: string } {
  let end = xff.length;
  while (end > 0 && (xff[end - 1] === ' ' || xff[end - 1] === ',')) end--;
  let start = end;
  while (start > 0 && xff[start - 1] !== ' ' && xff[start - 1] !== ',') {
    start--;
  }
  return { text: xff.slice(start, end), rest: xff.slice(0, start) };
}

/**
 * One `geo` block of an nginx configuration, compiled for lookups with
 * nginx's own semantics: the most specific CIDR network wins whatever the
 * line order; `ranges` mode applies ranges in order, a later narrower
 * range overriding inside an earlier one; `delete` removes a network;
 * `default` answers when nothing matches; `proxy` and `proxy_recursive`
 * take the client address from X-Forwarded-For when the peer is trusted;
 * IPv4-mapped IPv6 addresses match IPv4 networks.
 */
export class GeoTable {
  /** The variable the block sets, without "$". */
  readonly variable: string;
  /** The variable the address comes from, when not the client address. */
  readonly source?: string;
  readonly ranges: boolean;
  readonly proxyRecursive: boolean;
  /** The entries in effect, in file order, for listing networks. */
  readonly entries: GeoEntry[];
  readonly defaultValue: string;
  readonly warnings: GeoWarning[];
  readonly intervalCount: number;

  private readonly answers: Answers;
  private readonly table4: IntervalTable4;
  private readonly table6?: IntervalTable6;
  private readonly trusted: Trust;

  static fromDirective(directive: NginxDirective): GeoTable {
    return new GeoTable(directive);
  }

  private constructor(directive: NginxDirective) {
    const where = `${directive.file}:${directive.line}`;
    if (!directive.block || directive.args.length < 1) {
      throw new InputError(`${where}: geo needs a variable and a block`);
    }
    if (directive.args.length > 2) {
      throw new InputError(
        `${where}: geo takes at most two variables, got ${directive.args.join(
          ' ',
        )}`,
      );
    }
    const [first, second] = directive.args;
    const variable = second ?? first;
    if (!variable.startsWith('$') || (second && !first.startsWith('$'))) {
      throw new InputError(
        `${where}: geo variables must start with "$", got ${directive.args.join(
          ' ',
        )}`,
      );
    }
    this.variable = variable.slice(1);
    this.source = second ? first.slice(1) : undefined;
    this.warnings = [];
    this.trusted = [];
    this.answers = new Answers();

    let ranges = false;
    let proxyRecursive = false;
    let defaultValue: string | undefined;
    let added = false;
    const cidr4 = new Map<string, Prefix>();
    const cidr6 = new Map<string, Prefix>();
    // ranges mode keeps, like nginx, one ordered list per /16.
    const high = new Map<
      number,
      Array<{ start: number; end: number; value: string; label: string }>
    >();
    const order: GeoEntry[] = [];

    const fail = (d: NginxDirective, message: string): never => {
      throw new InputError(`${d.file}:${d.line}: ${message}`);
    };
    const warn = (d: NginxDirective, message: string) =>
      this.warnings.push({ message, file: d.file, line: d.line });

    for (const d of directive.block) {
      if (d.block) {
        fail(d, `unexpected block "${d.name}" inside geo`);
      }
      const args = d.args;

      if (d.name === 'ranges' && args.length === 0) {
        if (added) {
          fail(
            d,
            'the "ranges" directive must be the first directive inside "geo" block',
          );
        }
        ranges = true;
        continue;
      }
      if (d.name === 'proxy_recursive' && args.length === 0) {
        proxyRecursive = true;
        continue;
      }
      if (d.name === 'proxy' && args.length === 1) {
        const net = parseNetwork(args[0]);
        if (!net) fail(d, `invalid proxy address "${args[0]}"`);
        const bits = net!.family === 4 ? 32 : 128;
        this.trusted.push({
          family: net!.family,
          start: net!.start,
          end: prefixEnd(net!.start, net!.prefixLength, bits),
        });
        continue;
      }
      if (args.length !== 1) {
        fail(
          d,
          `invalid geo line "${[d.name, ...args].join(
            ' ',
          )}": expected a network and a value`,
        );
      }

      const isDelete = d.name === 'delete';
      const netText = isDelete ? args[0] : d.name;
      const value = isDelete ? '' : args[0];
      added = true;

      if (ranges) {
        if (!isDelete && netText === 'default') {
          defaultValue = value;
          continue;
        }
        const dash = netText.indexOf('-');
        const start = dash < 0 ? undefined : parseIPv4(netText.slice(0, dash));
        const end = dash < 0 ? undefined : parseIPv4(netText.slice(dash + 1));
        if (start === undefined || end === undefined || start > end) {
          fail(d, `invalid range "${netText}"`);
        }
        if (isDelete) {
          if (!deleteRange(high, start!, end!)) {
            warn(d, `no address range "${netText}" to delete`);
          }
        } else {
          addRange(high, start!, end!, value, netText, d);
          order.push({ network: netText, family: 4, value });
        }
        continue;
      }

      if (netText === 'default') {
        const all = [
          // The same nodes as 0.0.0.0/0 and ::/0: one replaces the other.
          { map: cidr4, key: '0.0.0.0/0' },
          { map: cidr6, key: '::/0' },
        ];
        for (const { map, key } of all) {
          if (isDelete) {
            map.delete(key);
          } else {
            map.set(key, {
              start: 0n,
              end: map === cidr4 ? IPV4_MAX : IPV6_MAX,
              length: 0,
              value,
              label: 'default',
            });
          }
        }
        if (!isDelete) defaultValue = value;
        continue;
      }

      const net = parseNetwork(netText);
      if (!net) {
        fail(d, `invalid network "${netText}"`);
      }
      if (net!.lowBitsSet) {
        warn(d, `low address bits of ${netText} are meaningless`);
      }
      const bits = net!.family === 4 ? 32 : 128;
      const map = net!.family === 4 ? cidr4 : cidr6;
      // The normalised text is the key: cheaper than printing a bigint.
      const label = formatNetwork(net!.family, net!.start, net!.prefixLength);
      const key = label;
      if (isDelete) {
        if (!map.delete(key)) {
          warn(d, `no network "${netText}" to delete`);
        }
        continue;
      }
      if (map.has(key)) {
        warn(
          d,
          `duplicate network "${netText}", value: "${value}", old value: "${
            map.get(key)!.value
          }"`,
        );
      }
      map.set(key, {
        start: net!.start,
        end: prefixEnd(net!.start, net!.prefixLength, bits),
        length: net!.prefixLength,
        value,
        label,
      });
      order.push({ network: label, family: net!.family, value });
    }

    this.ranges = ranges;
    this.proxyRecursive = proxyRecursive;

    if (ranges) {
      this.defaultValue = defaultValue ?? '';
      const fallback = this.answers.add(this.defaultValue);
      const prefixes: Prefix[] = [];
      for (const h of [...high.keys()].sort((a, b) => a - b)) {
        for (const r of high.get(h)!) {
          prefixes.push({
            start: BigInt(h * 0x10000 + r.start),
            end: BigInt(h * 0x10000 + r.end),
            length: 32,
            value: r.value,
            label: r.label,
          });
        }
      }
      this.table4 = toTable4(
        flattenPrefixes(prefixes, IPV4_MAX, fallback, this.answers),
      );
      const live = new Set(prefixes.map(p => p.label));
      this.entries = order.filter(e => live.has(e.network));
    } else {
      // Without a 0/0 network nginx answers the empty string.
      const empty = this.answers.add('');
      this.defaultValue = defaultValue ?? '';
      this.table4 = toTable4(
        flattenPrefixes([...cidr4.values()], IPV4_MAX, empty, this.answers),
      );
      this.table6 = toTable6(
        flattenPrefixes([...cidr6.values()], IPV6_MAX, empty, this.answers),
      );
      const live = new Set(
        [...cidr4.values(), ...cidr6.values()].map(
          p => `${p.label}=${p.value}`,
        ),
      );
      this.entries = dedupeLast(order).filter(e =>
        live.has(`${e.network}=${e.value}`),
      );
    }
    this.intervalCount =
      this.table4.starts.length + (this.table6?.valueIndexes.length ?? 0);
  }

  /**
   * The value for a client connecting from `remote` (nginx's
   * $remote_addr), with the X-Forwarded-For header and, for a geo block
   * that reads another variable, that variable's text.
   */
  lookupRequest(request: {
    remote?: string;
    xForwardedFor?: string;
    sourceValue?: string;
  }): GeoAnswer {
    const text = this.source ? request.sourceValue : request.remote;
    let address = text === undefined ? undefined : parseAddress(text);
    if (!address) {
      return this.lookupInvalid();
    }
    const peer = address;
    if (request.xForwardedFor !== undefined && this.trusted.length > 0) {
      address = this.forwarded(address, request.xForwardedFor);
    }
    const answer = this.lookupAddress(address);
    answer.address = address;
    answer.forwarded = address !== peer;
    return answer;
  }

  /** The client address nginx takes from X-Forwarded-For for a peer. */
  private forwarded(peer: Address, xff: string): Address {
    let address = peer;
    let rest = xff;
    for (;;) {
      if (!inTrusted(address, this.trusted)) return address;
      const { text, rest: before } = lastForwarded(rest);
      const parsed = parseAddressWithPort(text);
      if (!parsed) return address;
      address = parsed;
      rest = before;
      if (!this.proxyRecursive || rest.length === 0) return address;
    }
  }

  private lookupInvalid(): GeoAnswer {
    // nginx looks an unreadable address up as 255.255.255.255.
    if (this.ranges) {
      return { value: this.defaultValue };
    }
    return this.answerAt(this.table4.find(INADDR_NONE));
  }

  /** The value for an address, without proxies. */
  lookupAddress(address: Address): GeoAnswer {
    if (address.family === 4) {
      return this.answerAt(this.table4.find(address.v4));
    }
    const mapped = mappedIPv4(address);
    if (mapped !== undefined) {
      return this.answerAt(this.table4.find(mapped));
    }
    if (this.ranges || !this.table6) {
      // Ranges are IPv4 only: nginx looks other IPv6 addresses up as
      // 255.255.255.255.
      return this.answerAt(this.table4.find(INADDR_NONE));
    }
    return this.answerAt(this.table6.find(address.words));
  }

  /** The value index for an IPv4 address: the hot path, no allocation. */
  lookupIPv4Index(address: number): number {
    return this.table4.find(address);
  }

  valueAt(index: number): string {
    return this.answers.list[index].value;
  }

  private answerAt(index: number): GeoAnswer {
    const answer = this.answers.list[index];
    return answer.network === undefined || answer.network === 'default'
      ? { value: answer.value }
      : { value: answer.value, network: answer.network };
  }
}

function dedupeLast(entries: GeoEntry[]): GeoEntry[] {
  const last = new Map<string, GeoEntry>();
  for (const entry of entries) {
    last.delete(entry.network);
    last.set(entry.network, entry);
  }
  return [...last.values()];
}

function toTable4(out: Array<{ start: bigint; answer: number }>) {
  return new IntervalTable4(
    Uint32Array.from(out.map(o => Number(o.start))),
    Uint32Array.from(out.map(o => o.answer)),
  );
}

function toTable6(out: Array<{ start: bigint; answer: number }>) {
  const starts = new Uint32Array(out.length * 4);
  out.forEach((o, i) => starts.set(bigIntToWords(o.start), i * 4));
  return new IntervalTable6(starts, Uint32Array.from(out.map(o => o.answer)));
}

type RangeList = Array<{
  start: number;
  end: number;
  value: string;
  label: string;
}>;

/**
 * Adds a range the way nginx's ngx_http_geo_add_range does, one /16 at a
 * time: a range may split one it lies inside or replace an identical one;
 * partly overlapping another range is an error.
 */
function addRange(
  high: Map<number, RangeList>,
  start: number,
  end: number,
  value: string,
  label: string,
  d: NginxDirective,
) {
  for (let n = start; n <= end; n = (Math.floor(n / 0x10000) + 1) * 0x10000) {
    const h = Math.floor(n / 0x10000);
    const s = n === start ? n % 0x10000 : 0;
    const e = h * 0x10000 + 0xffff > end ? end % 0x10000 : 0xffff;
    let list = high.get(h);
    if (!list) {
      list = [];
      high.set(h, list);
    }
    const piece = { start: s, end: e, value, label };

    let i = list.length;
    let placed = false;
    while (i > 0) {
      i--;
      const r = list[i];
      if (e < r.start) continue;
      if (s > r.end) {
        list.splice(i + 1, 0, piece);
        placed = true;
        break;
      }
      if (s === r.start && e === r.end) {
        list[i] = piece;
        placed = true;
        break;
      }
      if (s > r.start && e < r.end) {
        list.splice(i, 1, { ...r, end: s - 1 }, piece, { ...r, start: e + 1 });
        placed = true;
        break;
      }
      if (s === r.start && e < r.end) {
        list.splice(i, 1, piece, { ...r, start: e + 1 });
        placed = true;
        break;
      }
      if (s > r.start && e === r.end) {
        list.splice(i, 1, { ...r, end: s - 1 }, piece);
        placed = true;
        break;
      }
      throw new InputError(
        `${d.file}:${d.line}: range "${label}" overlaps "${formatIPv4(
          h * 0x10000 + r.start,
        )}-${formatIPv4(h * 0x10000 + r.end)}"`,
      );
    }
    if (!placed) list.unshift(piece);
    if (h === 0xffff) break;
  }
}

/** Removes the pieces that exactly match a range; false if one is missing. */
function deleteRange(
  high: Map<number, RangeList>,
  start: number,
  end: number,
): boolean {
  let found = true;
  for (let n = start; n <= end; n = (Math.floor(n / 0x10000) + 1) * 0x10000) {
    const h = Math.floor(n / 0x10000);
    const s = n === start ? n % 0x10000 : 0;
    const e = h * 0x10000 + 0xffff > end ? end % 0x10000 : 0xffff;
    const list = high.get(h);
    const i = list ? list.findIndex(r => r.start === s && r.end === e) : -1;
    if (i < 0) {
      found = false;
    } else {
      list!.splice(i, 1);
    }
    if (h === 0xffff) break;
  }
  return found;
}
