import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';

type Fetch = typeof fetch;

/** A read from the observability engine: data, absent (404) or failed. */
export type EngineRead<T> =
  | { status: 'ok'; data: T }
  | { status: 'unknown'; reason: string };

export interface ServicePerformance {
  service: string;
  region: string;
  requestRate: number;
  errorRate: number;
}

/**
 * Reads the observability engine's API with this plugin's own service
 * token, as any other caller would.
 */
export class ObservabilityClient {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetch?: Fetch;
    },
  ) {}

  private async get<T>(path: string): Promise<EngineRead<T>> {
    const { discovery, auth } = this.options;
    const doFetch = this.options.fetch ?? fetch;
    const url = `${await discovery.getBaseUrl('observability')}${path}`;
    try {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'observability',
      });
      const response = await doFetch(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5000),
      });
      if (response.status === 404) {
        return {
          status: 'unknown',
          reason: `the observability engine has no ${path} (404)`,
        };
      }
      if (!response.ok) {
        return {
          status: 'unknown',
          reason: `the observability engine answered ${response.status} for ${path}`,
        };
      }
      return { status: 'ok', data: (await response.json()) as T };
    } catch (error) {
      return {
        status: 'unknown',
        reason: `the observability engine could not be read at ${path}: ${String(
          error,
        )}`,
      };
    }
  }

  async performance(): Promise<EngineRead<ServicePerformance[]>> {
    const read = await this.get<{ services?: ServicePerformance[] }>(
      '/performance/overview',
    );
    if (read.status !== 'ok') return read;
    return { status: 'ok', data: read.data.services ?? [] };
  }

  slos() {
    return this.get<unknown>('/slos');
  }

  alerts() {
    return this.get<unknown>('/alerts');
  }
}

/** The items of a list answer, whether bare or wrapped in an object. */
export function listItems(
  body: unknown,
  key: string,
): Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  const wrapped = (body as Record<string, unknown> | null)?.[key];
  return Array.isArray(wrapped) ? (wrapped as Record<string, unknown>[]) : [];
}
