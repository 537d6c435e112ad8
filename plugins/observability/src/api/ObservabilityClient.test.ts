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
});
