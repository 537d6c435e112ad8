import { createMockDirectory } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { publishLocalInto } from '../../__testUtils__/publishLocal';
import { exampleInputs, runAction } from '../../__testUtils__/runAction';
import { examples } from './createTmsPublishLocalAction.examples';

describe('tms:publish:local examples', () => {
  const workspace = createMockDirectory();
  const published = createMockDirectory();
  const action = publishLocalInto(published.path);

  beforeEach(() => {
    published.clear();
    workspace.setContent({
      'README.md': 'root',
      'ledger-service/README.md': 'ledger',
    });
  });

  it.each(exampleInputs(examples))('%s', async (_, input) => {
    await runAction(action, { workspacePath: workspace.path, input });

    const readme = published.resolve(input.name, 'README.md');
    expect(readFileSync(readme, 'utf8')).toBe(
      input.sourcePath ? 'ledger' : 'root',
    );
  });
});
