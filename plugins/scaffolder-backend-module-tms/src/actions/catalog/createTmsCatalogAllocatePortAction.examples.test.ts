import {
  createMockDirectory,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { testPortAllocator } from '../../__testUtils__/portAllocator';
import { exampleInputs, runAction } from '../../__testUtils__/runAction';
import { createTmsCatalogAllocatePortAction } from './createTmsCatalogAllocatePortAction';
import { examples } from './createTmsCatalogAllocatePortAction.examples';

describe('tms:catalog:allocate-port examples', () => {
  const workspace = createMockDirectory();
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const catalog = catalogServiceMock({
    entities: Array.from({ length: 11 }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `service-${i}`,
        annotations: { 'tms.example.com/port': String(8000 + i) },
      },
    })),
  });

  it.each(exampleInputs(examples))('%s', async (_, input) => {
    const { allocator } = await testPortAllocator(databases, 'SQLITE_3');
    const action = createTmsCatalogAllocatePortAction({ catalog, allocator });
    const ctx = await runAction(action, {
      workspacePath: workspace.path,
      input,
    });

    // With the eleven TMS ports 8000-8010 taken, 8011 is next.
    expect(ctx.output).toHaveBeenCalledWith('port', input.port ?? 8011);
  });
});
