import { ResponseError } from '@backstage/errors';
import { requestJson } from './requestJson';

function apis(response: Response) {
  const fetch = jest.fn(async () => response);
  return {
    fetch,
    apis: {
      discoveryApi: {
        getBaseUrl: async (id: string) => `http://backend/api/${id}`,
      },
      fetchApi: { fetch },
    },
  };
}

describe('requestJson', () => {
  it("asks the plugin's discovered base URL and reads the JSON answer", async () => {
    const { apis: deps, fetch } = apis(
      new Response(JSON.stringify({ regions: [] }), { status: 200 }),
    );

    await expect(
      requestJson(deps as any, 'regions', '/regions', { method: 'GET' }),
    ).resolves.toEqual({ regions: [] });
    expect(fetch).toHaveBeenCalledWith('http://backend/api/regions/regions', {
      method: 'GET',
    });
  });

  it("throws a ResponseError with the status and the backend's message", async () => {
    const { apis: deps } = apis(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'permission denied' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ),
    );

    const error: ResponseError = await requestJson<never>(
      deps as any,
      'zero-trust',
      '/blocks/x',
      { method: 'DELETE' },
    ).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error.message).toBe('permission denied');
  });
});
