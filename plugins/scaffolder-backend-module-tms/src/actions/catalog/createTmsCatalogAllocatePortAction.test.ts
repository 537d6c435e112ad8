import {
  createMockDirectory,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  component,
  testPortAllocator,
} from '../../__testUtils__/portAllocator';
import { mockContextFor } from '../../__testUtils__/runAction';
import { PortReservationStore } from '../../lib/ports/PortReservationStore';
import { createTmsCatalogAllocatePortAction } from './createTmsCatalogAllocatePortAction';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'tms:catalog:allocate-port on %s',
  id => {
    const workspace = createMockDirectory();
    let store: PortReservationStore;
    let action: ReturnType<typeof createTmsCatalogAllocatePortAction>;

    beforeEach(async () => {
      const allocated = await testPortAllocator(databases, id);
      await allocated.knex('tms_port_reservations').delete();
      store = allocated.store;
      action = createTmsCatalogAllocatePortAction({
        allocator: allocated.allocator,
        catalog: catalogServiceMock({
          entities: [
            component('api-gateway', 8000),
            component('auth-service', 8001),
            component('quiz-service', 8003),
            component('docs-site'),
          ],
        }),
      });
    });

    const run = (input: object, isDryRun?: boolean) => {
      const ctx = mockContextFor(action, {
        workspacePath: workspace.path,
        input: { ...input },
        isDryRun,
      });
      return { ctx, done: action.handler(ctx) };
    };

    it('proposes the lowest free port in a dry run and reserves nothing', async () => {
      const { ctx, done } = run({ service: 'payment-service' }, true);
      await done;

      expect(ctx.output).toHaveBeenCalledWith('port', 8002);
      expect(await store.list()).toEqual([]);
    });

    it('reserves the port for the service and the task', async () => {
      const { ctx, done } = run({ service: 'payment-service' });
      await done;

      expect(ctx.output).toHaveBeenCalledWith('port', 8002);
      expect(await store.list()).toEqual([
        expect.objectContaining({
          port: 8002,
          service: 'payment-service',
          taskId: ctx.task.id,
        }),
      ]);
    });

    it('gives runs at the same time different ports', async () => {
      const runs = Array.from({ length: 10 }, (_, i) =>
        run({ service: `service-${i}` }),
      );
      await Promise.all(runs.map(r => r.done));

      const ports = runs.map(r => r.ctx.output.mock.calls[0][1]);
      expect(new Set(ports).size).toBe(10);
    });

    it('keeps a requested port that is free', async () => {
      const { ctx, done } = run({ service: 'payment-service', port: 8020 });
      await done;

      expect(ctx.output).toHaveBeenCalledWith('port', 8020);
    });

    it('refuses a taken port, naming its component and the free one', async () => {
      await expect(
        run({ service: 'payment-service', port: 8003 }).done,
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'ConflictError',
          message:
            "Port 8003 is taken by component 'quiz-service'; the next free port is 8002",
        }),
      );
    });

    it('refuses a port another run reserved, naming its service', async () => {
      await run({ service: 'payment-service', port: 8020 }).done;

      await expect(
        run({ service: 'ledger-service', port: 8020 }).done,
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'ConflictError',
          message: expect.stringContaining(
            "Port 8020 is reserved for service 'payment-service'",
          ),
        }),
      );
    });

    it('refuses input without a service', async () => {
      await expect(run({ port: 8020 }).done).rejects.toThrow(
        expect.objectContaining({ name: 'InputError' }),
      );
    });
  },
);
