import { createMockDirectory } from '@backstage/backend-test-utils';
import { mockContextFor } from '../../__testUtils__/runAction';
import { createTmsIstioGenerateAction } from '../istio/createTmsIstioGenerateAction';
import { createTmsArgocdGenerateAction } from '../argocd/createTmsArgocdGenerateAction';
import { createTmsManifestsValidateAction } from './createTmsManifestsValidateAction';

describe('tms:manifests:validate', () => {
  const workspace = createMockDirectory();
  const action = createTmsManifestsValidateAction();

  beforeEach(() => workspace.clear());

  it('passes what the generate actions write', async () => {
    const input = {
      service: 'payment-service',
      port: 8011,
      hosts: ['api.tms.example.com'],
      callers: ['api-gateway'],
      repoUrl: 'https://github.com/tms/payment-service.git',
    };
    const istio = createTmsIstioGenerateAction();
    const argocd = createTmsArgocdGenerateAction();
    const workspacePath = workspace.path;
    await istio.handler(mockContextFor(istio, { workspacePath, input }));
    await argocd.handler(mockContextFor(argocd, { workspacePath, input }));
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { paths: ['istio', 'argocd'] },
    });

    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('documents', 6);
    expect(ctx.output).toHaveBeenCalledWith('files', [
      'istio/authorization-policy.yaml',
      'istio/destination-rule.yaml',
      'istio/peer-authentication.yaml',
      'istio/virtual-service.yaml',
      'argocd/app-project.yaml',
      'argocd/application-set.yaml',
    ]);
  });

  it('fails naming the file, document and field of every problem', async () => {
    workspace.setContent({
      'istio/routes.yaml': `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: tms }
spec:
  hosts: [shop]
  gateways: [tms-gateway]
  http:
  - route:
    - destination: { host: shop, subset: canary }
      weight: "50"
`,
    });
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: {},
      isDryRun: true,
    });

    await expect(action.handler(ctx)).rejects.toThrow(
      [
        '3 problem(s) in the manifests:',
        'istio/routes.yaml document 0 (VirtualService tms/shop) spec.http[0].route[0].weight: must be integer',
        'istio/routes.yaml document 0 (VirtualService tms/shop) spec.http[0].route[0].destination.subset: Referenced host+subset in destinationrule not found: "shop+canary" [IST0101]',
        'istio/routes.yaml document 0 (VirtualService tms/shop) spec.gateways[0]: Referenced gateway not found: "tms-gateway" [IST0101]',
      ].join('\n'),
    );
  });

  const routes = (rules: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: tms }
spec:
  hosts: [shop]
  http:
${rules}`;

  it('fails on an analyzer warning: a rule no request reaches', async () => {
    workspace.setContent({
      'istio/routes.yaml': routes(`  - route: [{ destination: { host: shop } }]
  - route: [{ destination: { host: shop } }]
`),
    });
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: {},
    });

    await expect(action.handler(ctx)).rejects.toThrow(
      'spec.http[1]: VirtualService rule #1 not used (only the last rule can have no matches). [IST0130 Warning]',
    );
  });

  it('passes with an analyzer note, which it logs', async () => {
    workspace.setContent({
      'istio/routes.yaml': routes(`  - match: [{ uri: { prefix: /a } }]
    route: [{ destination: { host: shop } }]
  - match: [{ uri: { prefix: /a } }, { uri: { prefix: /b } }]
    route: [{ destination: { host: shop } }]
`),
    });
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: {},
    });
    const info = jest.spyOn(ctx.logger, 'info');

    await action.handler(ctx);

    expect(info).toHaveBeenCalledWith('Manifest note', {
      finding:
        'istio/routes.yaml document 0 (VirtualService tms/shop) spec.http[1].match[0]: VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule 0). [IST0131 Info]',
    });
    expect(ctx.output).toHaveBeenCalledWith('documents', 1);
  });

  it('refuses paths with no YAML and paths outside the workspace', async () => {
    workspace.setContent({ 'docs/README.md': '# nothing to validate' });

    await expect(
      action.handler(
        mockContextFor(action, {
          workspacePath: workspace.path,
          input: { paths: ['docs'] },
        }),
      ),
    ).rejects.toThrow('No YAML files found in docs');
    await expect(
      action.handler(
        mockContextFor(action, {
          workspacePath: workspace.path,
          input: { paths: ['../etc'] },
        }),
      ),
    ).rejects.toThrow('outside its parent');
  });
});
