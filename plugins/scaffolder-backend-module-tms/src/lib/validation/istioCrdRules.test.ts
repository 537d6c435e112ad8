import { stringify } from 'yaml';
import { istioOptions } from '../../__testUtils__/istioOptions';
import { buildIstioConfig } from '../istio/buildIstioConfig';
import { parseDuration } from './istioCrdRules';
import { validateManifests } from './validateManifests';

/** The generated config of a typical service, for a test to break. */
function generated(): Record<string, any> {
  return JSON.parse(JSON.stringify(buildIstioConfig(istioOptions())));
}

async function problemsOf(...objects: object[]) {
  const { findings } = await validateManifests(
    objects.map((object, i) => ({
      path: `istio-${i}.yaml`,
      content: stringify(object),
    })),
    { knownGateways: ['istio-system/tms-gateway'] },
  );
  return findings.map(f => `${f.kind} ${f.field}: ${f.message}`);
}

describe('the CEL rules of the Istio CRDs', () => {
  it.each([
    ['250ms', 250e6],
    ['1h30m', 5400e9],
    ['2.5s', 2.5e9],
    ['1ms', 1e6],
    ['0', 0],
    ['-1s', -1e9],
    ['apple', undefined],
    ['10', undefined],
    ['1d', undefined],
  ])('reads the duration %s as CEL does', (text, nanoseconds) => {
    expect(parseDuration(text)).toBe(nanoseconds);
  });

  it('lets the generated config through', async () => {
    expect(await problemsOf(...Object.values(generated()))).toEqual([]);
  });

  it('refuses route and pool durations under a millisecond or unreadable', async () => {
    const { virtualService, destinationRule } = generated();
    virtualService.spec.http[0].timeout = '500us';
    virtualService.spec.http[0].retries.perTryTimeout = 'two seconds';
    destinationRule.spec.trafficPolicy.outlierDetection.interval = '0s';

    expect(await problemsOf(virtualService, destinationRule)).toEqual([
      'VirtualService spec.http[0].timeout: must be a valid duration greater than 1ms',
      'VirtualService spec.http[0].retries.perTryTimeout: must be a valid duration greater than 1ms',
      'DestinationRule spec.trafficPolicy.outlierDetection.interval: must be a valid duration greater than 1ms',
    ]);
  });

  it('refuses port-level mTLS without a workload selector or on a port out of range', async () => {
    const { peerAuthentication } = generated();
    delete peerAuthentication.spec.selector;
    peerAuthentication.spec.portLevelMtls['70000'] = { mode: 'STRICT' };

    expect(await problemsOf(peerAuthentication)).toEqual([
      'PeerAuthentication spec.portLevelMtls: port must be between 1-65535',
      'PeerAuthentication spec: portLevelMtls requires selector',
    ]);
  });

  it('refuses wildcards in selectors and service accounts mixed with principals', async () => {
    const { authorizationPolicy } = generated();
    authorizationPolicy.spec.selector.matchLabels = { app: 'payment-*' };
    authorizationPolicy.spec.rules[0].from[0].source.serviceAccounts = [
      'tms/api-gateway',
    ];

    expect(await problemsOf(authorizationPolicy)).toEqual([
      'AuthorizationPolicy spec.selector.matchLabels.app: wildcard not allowed in label value match',
      'AuthorizationPolicy spec.rules[0].from[0].source: Cannot set serviceAccounts with namespaces or principals',
    ]);
  });

  it('refuses a gateway server with two kinds of credentials', async () => {
    const gateway = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'tms-gateway', namespace: 'istio-system' },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: ['tms.example.com'],
            tls: {
              mode: 'SIMPLE',
              credentialName: 'tms-cert',
              credentialNames: ['tms-cert', 'tms-cert-ec'],
            },
          },
        ],
      },
    };

    expect(await problemsOf(gateway)).toEqual([
      'Gateway spec.servers[0].tls: only one of credentialName or credentialNames can be set',
    ]);
  });
});
