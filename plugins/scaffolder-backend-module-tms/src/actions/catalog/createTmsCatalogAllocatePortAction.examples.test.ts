import { createMockDirectory } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parse } from 'yaml';
import { mockContextFor } from '../../__testUtils__/runAction';
import { createTmsCatalogAllocatePortAction } from './createTmsCatalogAllocatePortAction';
import { examples } from './createTmsCatalogAllocatePortAction.examples';

describe('tms:catalog:allocate-port examples', () => {
  const workspace = createMockDirectory();
  const action = createTmsCatalogAllocatePortAction({
    catalog: catalogServiceMock({
      entities: Array.from({ length: 11 }, (_, i) => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `service-${i}`,
          annotations: { 'tms.example.com/port': String(8000 + i) },
        },
      })),
    }),
  });

  it.each(examples.map(example => [example.description, example]))(
    '%s',
    async (_, example) => {
      const input = parse(example.example).steps[0].input;
      const ctx = mockContextFor(action, {
        workspacePath: workspace.path,
        input,
      });

      await action.handler(ctx);

      // With the eleven TMS ports 8000-8010 taken, 8011 is next.
      expect(ctx.output).toHaveBeenCalledWith('port', input.port ?? 8011);
    },
  );
});
