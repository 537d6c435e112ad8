import { ZeroTrustClient } from './ZeroTrustClient';

describe('ZeroTrustClient', () => {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify({ blocks: [], entries: [] })),
  );
  const client = new ZeroTrustClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch: fetch as any },
  });

  beforeEach(() => fetch.mockClear());

  it('unblocks an IPv6 address with its colons escaped in the path', async () => {
    await client.unblock('2001:db8::1');

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backend/api/zero-trust/blocks/2001%3Adb8%3A%3A1');
    expect(init?.method).toBe('DELETE');
  });

  it('pages the audit log and reads the dashboard from the observability engine', async () => {
    await client.listAudit({ afterSeq: 10, limit: 50 });
    await client.getSecurityDashboard({
      from: '2026-12-03T10:00:00Z',
      to: '2026-12-03T11:00:00Z',
    });

    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      'http://backend/api/zero-trust/audit?afterSeq=10&limit=50',
      'http://backend/api/observability/security/dashboard?from=2026-12-03T10%3A00%3A00Z&to=2026-12-03T11%3A00%3A00Z',
    ]);
  });
});
