import { ConflictError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  claimedPorts,
  nextFreePort,
  PORT_ANNOTATION,
} from '../../lib/servicePorts';
import { InputFields, parseInput } from '../parseInput';
import { examples } from './createTmsCatalogAllocatePortAction.examples';

const inputFields = {
  port: z =>
    z
      .number()
      .int()
      .min(1024)
      .max(65535)
      .optional()
      .describe(
        'Port the new service asks for; the next free port when left out',
      ),
} satisfies InputFields;

/**
 * Creates the `tms:catalog:allocate-port` action: picks the container port
 * of a new TMS service from the ports the catalog's components already
 * claim, or checks that a requested port is still free.
 *
 * @public
 */
export function createTmsCatalogAllocatePortAction(options: {
  catalog: CatalogService;
}) {
  return createTemplateAction({
    id: 'tms:catalog:allocate-port',
    description:
      'Proposes the next free TMS service port, or checks a requested one, against the catalog',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputFields,
      output: {
        port: z => z.number().describe('The port the new service gets'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputFields, ctx.input);
      const { items } = await options.catalog.getEntities(
        {
          filter: { kind: 'Component' },
          fields: ['metadata.name', `metadata.annotations.${PORT_ANNOTATION}`],
        },
        { credentials: await ctx.getInitiatorCredentials() },
      );
      const claimed = claimedPorts(items);

      const owner = input.port && claimed.get(input.port);
      if (owner) {
        throw new ConflictError(
          `Port ${
            input.port
          } is taken by component '${owner}'; the next free port is ${nextFreePort(
            claimed,
          )}`,
        );
      }

      const port = input.port ?? nextFreePort(claimed);
      ctx.logger.info('Allocated service port', {
        port,
        claimed: claimed.size,
      });
      ctx.output('port', port);
    },
  });
}
