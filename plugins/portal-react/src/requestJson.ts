import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';

/**
 * Calls a backend plugin's route through Backstage's discovery and fetch
 * (which adds the user's token) and reads its JSON answer. A non-2xx
 * answer throws a ResponseError carrying the status and the backend's
 * message, which ResponseErrorPanel shows.
 */
export async function requestJson<T>(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  pluginId: string,
  path: string,
  init?: RequestInit,
): Promise<T> {
  const baseUrl = await apis.discoveryApi.getBaseUrl(pluginId);
  const response = await apis.fetchApi.fetch(`${baseUrl}${path}`, init);
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  return (await response.json()) as T;
}
