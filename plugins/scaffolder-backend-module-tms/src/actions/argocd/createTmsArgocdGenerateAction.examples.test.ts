import { createMockDirectory } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { exampleInputs, runAction } from '../../__testUtils__/runAction';
import { createTmsArgocdGenerateAction } from './createTmsArgocdGenerateAction';
import { examples } from './createTmsArgocdGenerateAction.examples';

describe('tms:argocd:generate examples', () => {
  const workspace = createMockDirectory();
  const action = createTmsArgocdGenerateAction();

  beforeEach(() => workspace.clear());

  it.each(exampleInputs(examples))('%s', async (_, input) => {
    await runAction(action, { workspacePath: workspace.path, input });

    const file = `${input.targetPath ?? 'argocd'}/application-set.yaml`;
    const { spec } = parse(readFileSync(workspace.resolve(file), 'utf8'));
    expect(spec.template.spec.source.targetRevision).toBe(
      input.targetRevision ?? 'main',
    );
    expect(
      spec.template.metadata.annotations['tms.example.com/active-color'],
    ).toBe(input.activeColor ?? 'blue');
  });
});
