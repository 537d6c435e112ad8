import { createMockDirectory } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { mockContextFor } from '../../__testUtils__/runAction';
import { createTmsArgocdGenerateAction } from './createTmsArgocdGenerateAction';

describe('tms:argocd:generate', () => {
  const workspace = createMockDirectory();
  const action = createTmsArgocdGenerateAction();

  beforeEach(() => workspace.clear());

  it('writes the project and the ApplicationSet and names the Applications', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: {
        service: 'payment-service',
        repoUrl: 'https://github.com/tms/payment-service.git',
      },
    });

    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('files', [
      'argocd/app-project.yaml',
      'argocd/application-set.yaml',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('applications', [
      'payment-service-ap-southeast-1',
      'payment-service-us-east-1',
      'payment-service-eu-west-1',
    ]);
    const applicationSet = parse(
      readFileSync(workspace.resolve('argocd/application-set.yaml'), 'utf8'),
    );
    expect(applicationSet.metadata).toEqual({
      name: 'payment-service',
      namespace: 'argocd',
    });
    expect(applicationSet.spec.template.spec.source).toEqual({
      repoURL: 'https://github.com/tms/payment-service.git',
      targetRevision: 'main',
      path: '{{.path}}',
    });
  });

  it('refuses a repository URL it cannot deploy from, naming it', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { service: 'payment-service', repoUrl: 'tms/payment-service' },
      isDryRun: true,
    });

    await expect(action.handler(ctx)).rejects.toThrow(
      "Repository URL 'tms/payment-service' must start with https://, git@ or file://",
    );
  });
});
