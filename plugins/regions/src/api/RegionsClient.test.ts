import { RegionsClient } from './RegionsClient';

describe('RegionsClient', () => {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify({ regions: [], slos: [], groups: [] })),
  );
  const client = new RegionsClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch: fetch as any },
  });

  beforeEach(() => fetch.mockClear());

  it('asks the regions engine and the observability engine at their routes', async () => {
    await client.listRegions();
    await client.getRegion('eu-west-1', 300);
    await client.route('8.8.8.8', '10.0.0.1, 8.8.4.4');
    await client.getSlos();
    await client.getAlertGroups();

    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      'http://backend/api/regions/regions',
      'http://backend/api/regions/regions/eu-west-1?history=300',
      'http://backend/api/regions/route?ip=8.8.8.8&xForwardedFor=10.0.0.1%2C+8.8.4.4',
      'http://backend/api/observability/slos',
      'http://backend/api/observability/alerts/groups',
    ]);
  });

  it('posts the failed regions of a what-if as JSON', async () => {
    await client.whatIf(['eu-west-1']);

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backend/api/regions/failover/what-if');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ down: ['eu-west-1'] });
  });
});
