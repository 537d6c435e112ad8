import {
  IstioConfigOptions,
  ISTIO_TRAFFIC_DEFAULTS,
} from '../lib/istio/buildIstioConfig';

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
    ...ISTIO_TRAFFIC_DEFAULTS,
    weights: { blue: 100, green: 0 },
    ...overrides,
  };
}
