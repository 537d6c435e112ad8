import { IstioConfigOptions } from '../lib/istio/buildIstioConfig';

/** Options of a typical public TMS service, for tests to vary. */
export function istioOptions(
  overrides: Partial<IstioConfigOptions> = {},
): IstioConfigOptions {
  return {
    service: 'payment-service',
    namespace: 'tms',
    port: 8011,
    hosts: ['api.tms.example.com'],
    gateway: 'istio-system/tms-gateway',
    pathPrefix: '/payments',
    callers: [
      'api-gateway',
      'istio-system/istio-ingressgateway-service-account',
    ],
    loadBalancer: 'LEAST_CONN',
    weights: { blue: 100, green: 0 },
    timeout: '10s',
    retries: { attempts: 3, perTryTimeout: '2s', backoff: '25ms' },
    connectionPool: {
      maxConnections: 100,
      http1MaxPendingRequests: 50,
      http2MaxRequests: 200,
      maxRequestsPerConnection: 0,
    },
    outlierDetection: {
      consecutive5xxErrors: 5,
      interval: '10s',
      baseEjectionTime: '30s',
      maxEjectionPercent: 50,
    },
    ...overrides,
  };
}
