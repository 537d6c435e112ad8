import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  createLocalRepository,
  readLocalPublishSettings,
} from '../../lib/publish/localRepository';
import { DNS_LABEL } from '../../lib/tmsPlatform';
import { examples } from './createTmsPublishLocalAction.examples';
import { InputFields, parseInput } from '../parseInput';

const inputFields = {
  name: z =>
    z
      .string()
      .regex(DNS_LABEL)
      .describe('Name of the repository to create, usually the service name'),
  sourcePath: z =>
    z
      .string()
      .default('.')
      .describe('Workspace folder to publish; the whole workspace by default'),
  defaultBranch: z =>
    z
      .string()
      .regex(/^[A-Za-z0-9][-._/A-Za-z0-9]*$/)
      .optional()
      .describe(
        'Branch of the first commit; tms.scaffolder.localPublish.defaultBranch by default',
      ),
  commitMessage: z =>
    z
      .string()
      .min(1)
      .default('Initial commit')
      .describe('Message of the first commit'),
  catalogInfoPath: z =>
    z
      .string()
      .default('catalog-info.yaml')
      .describe(
        'Path of the catalog entry in the repository, for the catalogInfoUrl output',
      ),
} satisfies InputFields;

/**
 * Creates the `tms:publish:local` action: turns the workspace into a new Git
 * repository below `tms.scaffolder.localPublish.directory`, the publishing
 * target of the embedded default, which has no Git host to push to. The
 * repository's `file:` URLs are what `catalog:register` reads.
 *
 * @public
 */
export function createTmsPublishLocalAction(options: { config: Config }) {
  const settings = readLocalPublishSettings(options.config);

  return createTemplateAction({
    id: 'tms:publish:local',
    description:
      'Publishes the workspace as a new Git repository in the local publishing directory',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputFields,
      output: {
        remoteUrl: z =>
          z.string().describe('file:// URL of the repository, for git clone'),
        repoContentsUrl: z =>
          z.string().describe('file:// URL of the repository folder'),
        catalogInfoUrl: z =>
          z
            .string()
            .describe('file:// URL of the catalog entry, for catalog:register'),
        path: z => z.string().describe('Absolute path of the repository'),
        defaultBranch: z => z.string().describe('Branch of the first commit'),
        commitHash: z =>
          z
            .string()
            .optional()
            .describe('Hash of the first commit; none in a dry run'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputFields, ctx.input);
      const source = resolveSafeChildPath(ctx.workspacePath, input.sourcePath);
      const target = resolveSafeChildPath(settings.directory, input.name);
      const catalogInfo = resolveSafeChildPath(target, input.catalogInfoPath);
      const defaultBranch = input.defaultBranch ?? settings.defaultBranch;

      if (existsSync(target)) {
        throw new ConflictError(
          `Local repository '${input.name}' already exists at ${target}`,
        );
      }

      // A dry run reports where the repository would go and leaves the disk
      // alone.
      if (ctx.isDryRun) {
        ctx.logger.info('Would publish locally', { name: input.name, target });
      } else {
        const { commitHash } = await ctx.checkpoint({
          key: `publish.local.${input.name}`,
          fn: () =>
            createLocalRepository({
              source,
              target,
              defaultBranch,
              author: settings.author,
              message: input.commitMessage,
            }),
        });
        ctx.logger.info('Published locally', {
          name: input.name,
          target,
          commitHash,
        });
        ctx.output('commitHash', commitHash);
      }

      ctx.output('remoteUrl', pathToFileURL(target).toString());
      ctx.output('repoContentsUrl', `${pathToFileURL(target).toString()}/`);
      ctx.output('catalogInfoUrl', pathToFileURL(catalogInfo).toString());
      ctx.output('path', target);
      ctx.output('defaultBranch', defaultBranch);
    },
  });
}
