import { createMockDirectory } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockContextFor } from '../../__testUtils__/runAction';
import { createTmsCatalogAllocatePortAction } from './createTmsCatalogAllocatePortAction';

function component(name: string, port?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: port ? { 'tms.example.com/port': port } : {},
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team' },
  };
}

describe('tms:catalog:allocate-port', () => {
  const workspace = createMockDirectory();
  const action = createTmsCatalogAllocatePortAction({
    catalog: catalogServiceMock({
      entities: [
        component('api-gateway', '8000'),
        component('auth-service', '8001'),
        component('quiz-service', '8003'),
        component('docs-site'),
      ],
    }),
  });

  it('proposes the lowest port no component claims', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: {},
      isDryRun: true,
    });

    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('port', 8002);
  });

  it('keeps a requested port that is free', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { port: 8020 },
    });

    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('port', 8020);
  });

  it('refuses a taken port, naming its component and the free one', async () => {
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: { port: 8003 },
    });

    await expect(action.handler(ctx)).rejects.toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message:
          "Port 8003 is taken by component 'quiz-service'; the next free port is 8002",
      }),
    );
  });
});
