import { createMockDirectory } from '@backstage/backend-test-utils';
import { mockContextFor } from '../../__testUtils__/runAction';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { createTmsIstioGenerateAction } from './createTmsIstioGenerateAction';

describe('tms:istio:generate', () => {
  const workspace = createMockDirectory();
  const action = createTmsIstioGenerateAction();

  beforeEach(() => workspace.clear());

  function read(path: string) {
    return parseAllDocuments(readFileSync(workspace.resolve(path), 'utf8')).map(
      d => d.toJSON(),
    );
  }

  it('writes the four Istio objects with the defaults filled in', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: {
        service: 'payment-service',
        port: 8011,
        hosts: ['api.tms.example.com'],
        callers: ['api-gateway'],
      },
    });

    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('files', [
      'istio/virtual-service.yaml',
      'istio/destination-rule.yaml',
      'istio/peer-authentication.yaml',
      'istio/authorization-policy.yaml',
    ]);
    const [virtualService] = read('istio/virtual-service.yaml');
    expect(virtualService.metadata).toEqual({
      name: 'payment-service',
      namespace: 'tms',
    });
    expect(virtualService.spec.http[0].match).toEqual([
      {
        uri: { prefix: '/payment-service' },
        gateways: ['istio-system/tms-gateway'],
      },
    ]);
    const [destinationRule] = read('istio/destination-rule.yaml');
    expect(destinationRule.spec.trafficPolicy.loadBalancer).toEqual({
      simple: 'LEAST_CONN',
    });
    const [peerAuthentication] = read('istio/peer-authentication.yaml');
    expect(peerAuthentication.spec.portLevelMtls).toEqual({
      '8011': { mode: 'STRICT' },
    });
  });

  it('writes the same files in a dry run, where the workspace is temporary', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { service: 'ledger-service', port: 8012, callers: ['x'] },
      isDryRun: true,
    });

    await action.handler(ctx);

    expect(read('istio/authorization-policy.yaml')[0].spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/tms/sa/x'] } }] },
    ]);
  });

  it.each([
    [
      { blueWeight: 120 },
      'blueWeight: Number must be less than or equal to 100, got 120',
    ],
    [{ hosts: ['shop.example.com'] }, 'hosts.0: Invalid enum value'],
    [
      { callers: ['a b c; rm -rf /'] },
      'callers.0: a caller is a service account as name or namespace/name',
    ],
    [
      { targetPath: '../outside' },
      'Relative path is not allowed to refer to a directory outside its parent',
    ],
  ])('refuses %j', async (overrides, message) => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: {
        service: 'payment-service',
        port: 8011,
        callers: ['api-gateway'],
        ...overrides,
      },
    });

    await expect(action.handler(ctx)).rejects.toThrow(message);
  });
});
