import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PortAllocator } from '../../lib/ports/PortAllocator';
import { PORT_ANNOTATION } from '../../lib/servicePorts';
import { InputFields, parseInput } from '../parseInput';
import { examples } from './createTmsCatalogAllocatePortAction.examples';

const inputFields = {
  service: z =>
    z
      .string()
      .min(1)
      .describe('Name of the new service, which the reservation records'),
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
 * of a new TMS service from the ports that neither the catalog's
 * components claim nor another run has reserved, or checks that a
 * requested port is still free, and reserves it for the service.
 *
 * @public
 */
export function createTmsCatalogAllocatePortAction(options: {
  catalog: CatalogService;
  allocator: PortAllocator;
}) {
  return createTemplateAction({
    id: 'tms:catalog:allocate-port',
    description:
      'Reserves the next free TMS service port, or a requested one, against the catalog and the reservations of other runs',
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

      const port = await options.allocator.allocate(
        {
          service: input.service,
          taskId: ctx.task.id,
          port: input.port,
          dryRun: ctx.isDryRun,
        },
        items,
      );
      ctx.logger.info(
        ctx.isDryRun ? 'Would reserve service port' : 'Reserved service port',
        { port, service: input.service },
      );
      ctx.output('port', port);
    },
  });
}
