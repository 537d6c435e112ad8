import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { SHARED_GATEWAY } from '../../lib/tmsPlatform';
import { describeFinding } from '../../lib/validation/types';
import { validateManifests } from '../../lib/validation/validateManifests';
import { readManifestFiles } from './readManifestFiles';
import { examples } from './createTmsManifestsValidateAction.examples';
import { InputFields, parseInput, workspaceFilesField } from '../parseInput';

const inputFields = {
  paths: z =>
    z
      .array(z.string())
      .min(1)
      .default(['.'])
      .describe(
        'Workspace files or folders to validate; folders are searched for .yaml and .yml files',
      ),
  knownGateways: z =>
    z
      .array(z.string())
      .default([SHARED_GATEWAY])
      .describe(
        'Istio gateways that exist outside these files, as namespace/name',
      ),
  rootNamespace: z =>
    z
      .string()
      .default('istio-system')
      .describe('Istio root namespace, whose DestinationRules apply mesh-wide'),
} satisfies InputFields;

/**
 * Creates the `tms:manifests:validate` action: checks every Kubernetes,
 * Istio and ArgoCD document in the given workspace paths against its
 * schema, the CEL rules of the Istio CRDs and Istio's analyzer rules, and
 * fails on any error or warning.
 *
 * @public
 */
export function createTmsManifestsValidateAction() {
  return createTemplateAction({
    id: 'tms:manifests:validate',
    description:
      'Validates Kubernetes, Istio and ArgoCD manifests against their schemas and Istio analyzer rules',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputFields,
      output: {
        files: workspaceFilesField('Validated files'),
        documents: z => z.number().describe('Number of documents validated'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputFields, ctx.input);
      const files = await readManifestFiles(ctx.workspacePath, input.paths);
      if (files.length === 0) {
        throw new InputError(
          `No YAML files found in ${input.paths.join(', ')}`,
        );
      }

      const result = await validateManifests(files, input);

      // Generated config must be free of errors and of the warnings
      // istioctl analyze would print; its Info notes are only logged.
      const notes = result.findings.filter(f => f.level === 'Info');
      const problems = result.findings.filter(f => f.level !== 'Info');
      for (const note of notes) {
        ctx.logger.info('Manifest note', { finding: describeFinding(note) });
      }
      if (problems.length > 0) {
        throw new InputError(
          `${problems.length} problem(s) in the manifests:\n${problems
            .map(describeFinding)
            .join('\n')}`,
        );
      }

      ctx.logger.info('Validated manifests', {
        files: files.length,
        documents: result.documents,
      });
      ctx.output(
        'files',
        files.map(file => file.path),
      );
      ctx.output('documents', result.documents);
    },
  });
}
