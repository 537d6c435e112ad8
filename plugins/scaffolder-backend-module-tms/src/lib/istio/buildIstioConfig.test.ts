import { istioOptions } from '../../__testUtils__/istioOptions';
import { renderYamlDocuments } from '../renderYaml';
import { validateManifests } from '../validation/validateManifests';
import { buildIstioConfig } from './buildIstioConfig';

describe('buildIstioConfig', () => {
  it('routes the public host through the shared gateway and the mesh to blue and green', () => {
    const { virtualService } = buildIstioConfig(
      istioOptions({ weights: { blue: 90, green: 10 } }),
    ) as any;

    expect(virtualService.spec.hosts).toEqual([
      'api.tms.example.com',
      'payment-service.tms.svc.cluster.local',
    ]);
    expect(virtualService.spec.gateways).toEqual([
      'istio-system/tms-gateway',
      'mesh',
    ]);
    expect(virtualService.spec.http[0]).toEqual({
      name: 'public',
      match: [
        {
          uri: { prefix: '/payments' },
          gateways: ['istio-system/tms-gateway'],
        },
      ],
      route: [
        {
          destination: {
            host: 'payment-service.tms.svc.cluster.local',
            subset: 'blue',
            port: { number: 8011 },
          },
          weight: 90,
        },
        {
          destination: {
            host: 'payment-service.tms.svc.cluster.local',
            subset: 'green',
            port: { number: 8011 },
          },
          weight: 10,
        },
      ],
      timeout: '10s',
      retries: {
        attempts: 3,
        perTryTimeout: '2s',
        backoff: '25ms',
        retryOn: 'connect-failure,refused-stream,unavailable,503',
      },
    });
    expect(virtualService.spec.http[1].match).toEqual([{ gateways: ['mesh'] }]);
  });

  it('keeps a service without public hosts inside the mesh', () => {
    const { virtualService } = buildIstioConfig(
      istioOptions({ hosts: [] }),
    ) as any;

    expect(virtualService.spec.gateways).toEqual(['mesh']);
    expect(virtualService.spec.http.map((r: any) => r.name)).toEqual(['mesh']);
  });

  it('breaks circuits and balances load in the DestinationRule', () => {
    const { destinationRule } = buildIstioConfig(
      istioOptions({ loadBalancer: 'ROUND_ROBIN' }),
    ) as any;

    expect(destinationRule.spec).toEqual({
      host: 'payment-service.tms.svc.cluster.local',
      trafficPolicy: {
        loadBalancer: { simple: 'ROUND_ROBIN' },
        connectionPool: {
          tcp: { maxConnections: 100 },
          http: {
            http1MaxPendingRequests: 50,
            http2MaxRequests: 200,
            maxRequestsPerConnection: 0,
          },
        },
        outlierDetection: {
          consecutive5xxErrors: 5,
          interval: '10s',
          baseEjectionTime: '30s',
          maxEjectionPercent: 50,
        },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
      subsets: [
        { name: 'blue', labels: { version: 'blue' } },
        { name: 'green', labels: { version: 'green' } },
      ],
    });
  });

  it('requires mTLS on the workload and on its container port', () => {
    const { peerAuthentication } = buildIstioConfig(istioOptions()) as any;

    expect(peerAuthentication.spec).toEqual({
      selector: { matchLabels: { app: 'payment-service' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { '8011': { mode: 'STRICT' } },
    });
  });

  it('allows only the named callers, by their service accounts', () => {
    const { authorizationPolicy } = buildIstioConfig(istioOptions()) as any;

    expect(authorizationPolicy.spec).toEqual({
      selector: { matchLabels: { app: 'payment-service' } },
      action: 'ALLOW',
      rules: [
        {
          from: [
            {
              source: {
                principals: [
                  'cluster.local/ns/tms/sa/api-gateway',
                  'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account',
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('produces config that passes the schemas and the Istio analysis', async () => {
    const config = buildIstioConfig(istioOptions());

    const { documents, findings } = await validateManifests(
      [
        {
          path: 'istio.yaml',
          content: renderYamlDocuments(Object.values(config)),
        },
      ],
      { knownGateways: ['istio-system/tms-gateway'] },
    );

    expect(findings).toEqual([]);
    expect(documents).toBe(4);
  });

  it.each([
    [
      { hosts: ['shop.example.com'] },
      "Host 'shop.example.com' is not served by the shared gateway",
    ],
    [
      { weights: { blue: 80, green: 30 } },
      'Blue and green weights must add up to 100, got 80 + 30 = 110',
    ],
    [
      { callers: [] },
      "Service 'payment-service' needs at least one allowed caller",
    ],
    [
      { gateway: 'tms-gateway' },
      "Gateway 'tms-gateway' must be written as namespace/name",
    ],
  ])('refuses %j', (overrides, message) => {
    expect(() => buildIstioConfig(istioOptions(overrides))).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining(message),
      }),
    );
  });
});
