import { ResponseError } from '@backstage/errors';
import { ObservabilityClient } from './ObservabilityClient';

function clientAnswering(status: number, body: unknown) {
  const fetch = jest.fn(
    async (_url: string) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
  );
  const client = new ObservabilityClient({
    discoveryApi: {
      getBaseUrl: async id => `http://portal.test/api/${id}`,
    },
    fetchApi: { fetch: fetch as any },
  });
  return { client, fetch };
}

describe('ObservabilityClient', () => {
  it('asks /traces with the filters that are set and unwraps the list', async () => {
    const { client, fetch } = clientAnswering(200, {
      traces: [{ traceId: 'x' }],
    });

    const traces = await client.searchTraces({
      service: 'api-gateway',
      from: '2026-12-03T10:00:00.000Z',
      limit: 50,
    });

    expect(traces).toEqual([{ traceId: 'x' }]);
    expect(fetch).toHaveBeenCalledWith(
      'http://portal.test/api/observability/traces?service=api-gateway&from=2026-12-03T10%3A00%3A00.000Z&limit=50',
    );
  });

  it("sends the log text filter as the engine's query parameter and leaves empty ones out", async () => {
    const { client, fetch } = clientAnswering(200, { logs: [] });

    await client.searchLogs({ text: 'timeout', service: '', cursor: 'abc' });

    expect(fetch).toHaveBeenCalledWith(
      'http://portal.test/api/observability/logs?cursor=abc&query=timeout',
    );
  });

  it('escapes the trace id in the path', async () => {
    const { client, fetch } = clientAnswering(200, { traceId: 'a', spans: [] });

    await client.getTrace('a/b');

    expect(fetch).toHaveBeenCalledWith(
      'http://portal.test/api/observability/traces/a%2Fb',
    );
  });

  it("throws a ResponseError carrying the engine's message", async () => {
    const { client } = clientAnswering(400, {
      error: {
        name: 'InputError',
        message: 'Invalid traceId: a trace id is 32 hex digits',
      },
      response: { statusCode: 400 },
    });

    const error = await client.getTrace('nothex').catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toBe(
      'Invalid traceId: a trace id is 32 hex digits',
    );
  });

  it('asks /alerts with the filters and paging that are set', async () => {
    const { client, fetch } = clientAnswering(200, {
      alerts: [],
      total: 0,
      offset: 50,
      limit: 50,
    });

    const page = await client.listAlerts({
      state: 'firing',
      service: 'quiz-service',
      region: '',
      offset: 50,
    });

    expect(page.total).toBe(0);
    expect(fetch).toHaveBeenCalledWith(
      'http://portal.test/api/observability/alerts?state=firing&service=quiz-service&offset=50',
    );
  });

  it('posts the acknowledgement comment and the resolve reason as JSON', async () => {
    const { client, fetch } = clientAnswering(200, { id: 'a1' });

    await client.acknowledgeAlert('a1', 'looking');
    await client.resolveAlert('a1', 'rolled back');

    expect(fetch).toHaveBeenNthCalledWith(
      1,
      'http://portal.test/api/observability/alerts/a1/acknowledge',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"comment":"looking"}',
      },
    );
    expect(fetch.mock.calls[1][0]).toBe(
      'http://portal.test/api/observability/alerts/a1/resolve',
    );
    expect((fetch.mock.calls[1] as any)[1].body).toBe(
      '{"reason":"rolled back"}',
    );
  });

  it('unwraps groups, silences, rules and SLOs, and ends a silence with DELETE', async () => {
    const { client, fetch } = clientAnswering(200, {
      groups: ['g'],
      silences: ['s'],
      rules: ['r'],
      slos: ['o'],
    });

    expect(await client.getAlertGroups()).toEqual(['g']);
    expect(await client.listSilences()).toEqual(['s']);
    expect(await client.listAlertRules()).toEqual(['r']);
    expect(await client.listSlos()).toEqual(['o']);
    await client.expireSilence('s 1');

    expect(fetch).toHaveBeenLastCalledWith(
      'http://portal.test/api/observability/silences/s%201',
      { method: 'DELETE' },
    );
  });

  it('asks for the business KPIs of one region over a window', async () => {
    const { client, fetch } = clientAnswering(200, { region: 'eu-west-1' });

    await client.getBusinessMetrics({
      from: '2026-12-03T10:00:00.000Z',
      to: '2026-12-03T10:05:00.000Z',
      region: 'eu-west-1',
    });

    expect(fetch).toHaveBeenCalledWith(
      'http://portal.test/api/observability/business/metrics?from=2026-12-03T10%3A00%3A00.000Z&to=2026-12-03T10%3A05%3A00.000Z&region=eu-west-1',
    );
  });

  it('treats a 204 as no body', async () => {
    const fetch = jest.fn(async () => new Response(null, { status: 204 }));
    const client = new ObservabilityClient({
      discoveryApi: { getBaseUrl: async id => `http://portal.test/api/${id}` },
      fetchApi: { fetch: fetch as any },
    });

    await expect(client.deleteAlertRule('low-rate')).resolves.toBeUndefined();
  });
});
