import { ClientAddressResolver } from './ClientAddressResolver';

describe('ClientAddressResolver', () => {
  const resolver = ClientAddressResolver.create([
    '10.0.0.0/8',
    '::1',
    '::ffff:192.168.1.0/120',
  ]);

  it.each([
    [
      'a direct client, header ignored',
      '198.51.100.4',
      '1.2.3.4',
      '198.51.100.4',
    ],
    [
      'the rightmost untrusted hop',
      '10.0.0.2',
      '1.2.3.4, 203.0.113.9, 10.0.0.7',
      '203.0.113.9',
    ],
    [
      'spoofed entries left of the real one',
      '10.0.0.2',
      '10.9.9.9, 203.0.113.9',
      '203.0.113.9',
    ],
    [
      'the leftmost when every hop is trusted',
      '10.0.0.2',
      '10.1.1.1, 10.0.0.7',
      '10.1.1.1',
    ],
    [
      'IPv4-mapped IPv6 peer and hops',
      '::ffff:10.0.0.2',
      '::ffff:203.0.113.9',
      '203.0.113.9',
    ],
    [
      'a trusted range written as mapped IPv6',
      '192.168.1.20',
      '203.0.113.10',
      '203.0.113.10',
    ],
    ['nothing when a hop is garbage', '::1', 'not-an-ip, 10.0.0.5', undefined],
    ['nothing for an octal hop', '10.0.0.2', '010.1.2.3', undefined],
    ['nothing for a three-part hop', '10.0.0.2', '1.2.3', undefined],
    ['nothing for a one-number hop', '10.0.0.2', '3221225985', undefined],
    ['the peer when there is no header', '10.0.0.2', undefined, '10.0.0.2'],
  ])('reads %s', (_name, peer, header, expected) => {
    expect(resolver.resolve(peer, header)).toBe(expected);
  });

  it('names a bad trusted proxy', () => {
    expect(() => ClientAddressResolver.create(['10.0.0.0/40'])).toThrow(
      "zeroTrust.trustedProxies: '10.0.0.0/40' is not an address or CIDR range",
    );
  });
});
