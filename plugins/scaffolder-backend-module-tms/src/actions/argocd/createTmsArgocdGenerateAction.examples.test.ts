import { createMockDirectory } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { mockContextFor } from '../../__testUtils__/runAction';
import { createTmsArgocdGenerateAction } from './createTmsArgocdGenerateAction';
import { examples } from './createTmsArgocdGenerateAction.examples';

describe('tms:argocd:generate examples', () => {
  const workspace = createMockDirectory();
  const action = createTmsArgocdGenerateAction();

  beforeEach(() => workspace.clear());

  it.each(examples.map(example => [example.description, example]))(
    '%s',
    async (_, example) => {
      const input = parse(example.example).steps[0].input;
      const ctx = mockContextFor(action, {
        workspacePath: workspace.path,
        input,
      });

      await action.handler(ctx);

      const file = `${input.targetPath ?? 'argocd'}/application-set.yaml`;
      const applicationSet = parse(
        readFileSync(workspace.resolve(file), 'utf8'),
      );
      expect(applicationSet.spec.template.spec.source.targetRevision).toBe(
        input.targetRevision ?? 'main',
      );
      expect(
        applicationSet.spec.template.metadata.annotations[
          'tms.example.com/active-color'
        ],
      ).toBe(input.activeColor ?? 'blue');
    },
  );
});
