import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { mockContextFor } from '../../__testUtils__/runAction';
import { createTmsPublishLocalAction } from './createTmsPublishLocalAction';
import { examples } from './createTmsPublishLocalAction.examples';

describe('tms:publish:local examples', () => {
  const workspace = createMockDirectory();
  const published = createMockDirectory();
  const action = createTmsPublishLocalAction({
    config: new ConfigReader({
      tms: { scaffolder: { localPublish: { directory: published.path } } },
    }),
  });

  beforeEach(() => {
    published.clear();
    workspace.setContent({
      'README.md': 'root',
      'ledger-service/README.md': 'ledger',
    });
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

      const readme = readFileSync(
        published.resolve(input.name, 'README.md'),
        'utf8',
      );
      expect(readme).toBe(input.sourcePath ? 'ledger' : 'root');
    },
  );
});
