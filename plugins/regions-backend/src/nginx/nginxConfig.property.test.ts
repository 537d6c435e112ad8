import { InputError, isError } from '@backstage/errors';
import fc from 'fast-check';
import { NginxRouting } from './NginxRouting';
import { parseNginxConfig } from './parseNginxConfig';

/*
 * The nginx config reader on arbitrary text gives a routing table or an
 * InputError naming the problem, never another exception; and geo lookups
 * on random IPv4 networks agree with the most-specific-network rule
 * computed the naive way.
 */

const noFiles = {
  readFile: (file: string): string => {
    throw new InputError(`no file ${file} in this test`);
  },
  listFiles: () => [],
};

function read(text: string) {
  return NginxRouting.fromDirectives(
    'fuzz.conf',
    parseNginxConfig(text, 'fuzz.conf', noFiles),
  );
}

/** Pieces of nginx syntax, so that random text gets past the tokenizer. */
const token = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    ';',
    ' ',
    '\n',
    '"',
    "'",
    '\\',
    '#',
    '$',
    'http',
    'geo',
    'map',
    '$g',
    '$remote_addr',
    '$arg_ip',
    'default',
    'ranges',
    'delete',
    'proxy',
    'proxy_recursive',
    'include',
    'upstream',
    'server',
    'limit_req_zone',
    'limit_req',
    'zone=z:10m',
    'rate=10r/s',
    'location',
    '10.0.0.0/8',
    '10.0.0.1-10.0.0.9',
    '::/0',
    '2001:db8::/32',
    '~^1\\.',
    '0.0.0.0/0',
    '255.255.255.255/33',
  ),
  fc.string({ maxLength: 6 }),
);
const nginxText = fc.array(token, { maxLength: 60 }).map(t => t.join(' '));

/** 'routing' when the text reads and answers a lookup, else the error's name. */
function outcome(text: string): string {
  try {
    const routing = read(text);
    routing.lookup('g', { remote: '10.1.2.3', args: { ip: '10.1.2.3' } });
    return 'routing';
  } catch (error) {
    return isError(error) ? error.name : 'not an Error';
  }
}

const ROUTING_OR_INPUT_ERROR = ['routing', 'InputError'];

describe('the nginx config reader on arbitrary text', () => {
  it('reads any text to a routing table or an InputError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), text => {
        expect(ROUTING_OR_INPUT_ERROR).toContain(outcome(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads any soup of nginx tokens to a routing table or an InputError', () => {
    fc.assert(
      fc.property(nginxText, text => {
        expect(ROUTING_OR_INPUT_ERROR).toContain(outcome(`http { ${text} }`));
      }),
      { numRuns: 3000 },
    );
  });
});

type Net = { start: number; length: number; value: string };

const toIp = (n: number) =>
  [24, 16, 8, 0].map(shift => (n >>> shift) & 255).join('.');

/** An IPv4 network with its host bits cleared, as nginx would keep it. */
const network = fc
  .tuple(fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
  .map(([address, length]) => {
    const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
    return { start: (address & mask) >>> 0, length };
  });

/**
 * A network as the config writes it: a single address bare, since nginx
 * reads 255.255.255.255/32 as its "not an address" and refuses it (as the
 * reader does, checked against nginx in conformance.test.ts).
 */
const networkText = (n: { start: number; length: number }) =>
  n.length === 32 ? toIp(n.start) : `${toIp(n.start)}/${n.length}`;

const contains = (net: Net, ip: number) => {
  const mask = net.length === 0 ? 0 : (0xffffffff << (32 - net.length)) >>> 0;
  return (ip & mask) >>> 0 === net.start;
};

describe('geo lookups against a naive reference', () => {
  it('answers the most specific matching network for random tables', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(network, {
          minLength: 1,
          maxLength: 30,
          selector: n => `${n.start}/${n.length}`,
        }),
        fc.array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 20 }),
        (networks, addresses) => {
          const nets: Net[] = networks.map((n, i) => ({
            ...n,
            value: `v${i}`,
          }));
          // Addresses inside the networks as well as anywhere.
          const probes = [
            ...addresses,
            ...nets.map(n => n.start),
            ...nets.map(n => (n.start + 2 ** (32 - n.length) - 1) >>> 0),
          ];
          const routing = read(
            `http { geo $g { default none; ${nets
              .map(n => `${networkText(n)} ${n.value};`)
              .join(' ')} } }`,
          );

          for (const ip of probes) {
            const best = nets
              .filter(n => contains(n, ip))
              .sort((a, b) => b.length - a.length)[0];
            expect([
              toIp(ip),
              routing.lookup('g', { remote: toIp(ip) }).value,
            ]).toEqual([toIp(ip), best?.value ?? 'none']);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
