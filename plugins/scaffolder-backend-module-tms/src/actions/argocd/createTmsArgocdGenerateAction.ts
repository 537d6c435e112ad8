import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { buildArgocdConfig } from '../../lib/argocd/buildArgocdConfig';
import { DNS_LABEL } from '../../lib/tmsPlatform';
import { writeManifests } from '../writeManifests';
import { examples } from './createTmsArgocdGenerateAction.examples';
import { InputFields, parseInput, workspaceFilesField } from '../parseInput';

const inputFields = {
  service: z =>
    z
      .string()
      .regex(DNS_LABEL)
      .describe('Service name; each region gets <service>-<region>'),
  namespace: z =>
    z
      .string()
      .regex(DNS_LABEL)
      .default('tms')
      .describe('Kubernetes namespace the service is deployed to'),
  repoUrl: z =>
    z.string().describe('Git repository holding the service manifests'),
  targetRevision: z =>
    z.string().default('main').describe('Branch, tag or commit ArgoCD deploys'),
  pathTemplate: z =>
    z
      .string()
      .default('deploy/overlays/{region}')
      .describe("Path of a region's manifests; {region} becomes the region id"),
  project: z =>
    z
      .string()
      .regex(DNS_LABEL)
      .default('tms')
      .describe('Name of the ArgoCD AppProject to create and use'),
  activeColor: z =>
    z
      .enum(['blue', 'green'])
      .default('blue')
      .describe('Colour that serves traffic; the other takes the next release'),
  argocdNamespace: z =>
    z
      .string()
      .regex(DNS_LABEL)
      .default('argocd')
      .describe('Namespace ArgoCD watches for projects and ApplicationSets'),
  targetPath: z =>
    z
      .string()
      .default('argocd')
      .describe('Workspace folder the YAML files are written to'),
} satisfies InputFields;

/**
 * Creates the `tms:argocd:generate` action: an AppProject and an
 * ApplicationSet that deploy a TMS service to ap-southeast-1, us-east-1 and
 * eu-west-1, one region at a time and in that order.
 *
 * @public
 */
export function createTmsArgocdGenerateAction() {
  return createTemplateAction({
    id: 'tms:argocd:generate',
    description:
      'Generates the ArgoCD project and ApplicationSet that roll a TMS service out region by region',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputFields,
      output: {
        files: workspaceFilesField('Written files'),
        applications: z =>
          z
            .array(z.string())
            .describe('Names of the Applications, in rollout order'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputFields, ctx.input);
      const config = buildArgocdConfig(input);

      const files = await writeManifests(ctx.workspacePath, input.targetPath, {
        'app-project.yaml': [config.appProject],
        'application-set.yaml': [config.applicationSet],
      });

      ctx.logger.info('Generated ArgoCD config', {
        service: input.service,
        applications: config.applicationNames.join(','),
        dryRun: Boolean(ctx.isDryRun),
      });
      ctx.output('files', files);
      ctx.output('applications', config.applicationNames);
    },
  });
}
