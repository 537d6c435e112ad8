import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { cp, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DNS_LABEL } from '../../lib/tmsPlatform';
import { examples } from './createTmsPublishLocalAction.examples';
import { InputFields, parseInput } from '../parseInput';

const inputFields = {
  name: z =>
    z
      .string()
      .regex(DNS_LABEL)
      .describe('Name of the folder to create, usually the service name'),
  sourcePath: z =>
    z
      .string()
      .default('.')
      .describe('Workspace folder to publish; the whole workspace by default'),
} satisfies InputFields;

/**
 * Creates the `tms:publish:local` action: copies the workspace into a new
 * folder below `tms.scaffolder.localPublish.directory`, the publishing
 * target of the embedded default, which has no Git host to push to.
 *
 * @public
 */
export function createTmsPublishLocalAction(options: { config: Config }) {
  const root = resolve(
    options.config.getOptionalString('tms.scaffolder.localPublish.directory') ??
      'scaffolded',
  );

  return createTemplateAction({
    id: 'tms:publish:local',
    description:
      'Publishes the workspace as a new folder in the local publishing directory',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputFields,
      output: {
        remoteUrl: z =>
          z.string().describe('file:// URL of the published folder'),
        path: z => z.string().describe('Absolute path of the published folder'),
      },
    },
    async handler(ctx) {
      const { name, sourcePath } = parseInput(inputFields, ctx.input);
      const source = resolveSafeChildPath(ctx.workspacePath, sourcePath);
      const target = resolveSafeChildPath(root, name);

      if (existsSync(target)) {
        throw new ConflictError(
          `Local repository '${name}' already exists at ${target}`,
        );
      }

      // A dry run reports where the files would go and leaves the disk alone.
      if (ctx.isDryRun) {
        ctx.logger.info('Would publish locally', { name, target });
      } else {
        await ctx.checkpoint({
          key: `publish.local.${name}`,
          fn: async () => {
            await mkdir(root, { recursive: true });
            await cp(source, target, { recursive: true, errorOnExist: true });
          },
        });
        ctx.logger.info('Published locally', { name, target });
      }

      ctx.output('remoteUrl', pathToFileURL(target).toString());
      ctx.output('path', target);
    },
  });
}
