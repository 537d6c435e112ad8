import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { mockContextFor } from './__testUtils__/runAction';
import { scaffolderModuleTms } from './module';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function startModule(config: object = {}) {
  const actions: TemplateAction<any, any, any>[] = [];
  const knex = await databases.init('SQLITE_3');

  await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        {
          addActions: (...added: TemplateAction<any, any, any>[]) =>
            actions.push(...added),
        },
      ],
    ],
    features: [
      scaffolderModuleTms,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: config }),
      mockServices.database.factory({ knex }),
    ],
  });
  return { actions, knex };
}

describe('scaffolderModuleTms', () => {
  it('adds the tms actions to the scaffolder', async () => {
    const { actions } = await startModule();

    expect(actions.map(action => action.id)).toEqual([
      'tms:istio:generate',
      'tms:argocd:generate',
      'tms:manifests:validate',
      'tms:publish:local',
      'tms:catalog:allocate-port',
    ]);
    expect(actions.every(action => action.supportsDryRun)).toBe(true);
  });

  it('reserves ports in the database it migrates, for the configured hours', async () => {
    const { actions, knex } = await startModule({
      tms: { scaffolder: { portReservationHours: 0 } },
    });
    const allocate = actions.find(a => a.id === 'tms:catalog:allocate-port')!;
    const run = async (service: string) => {
      const ctx = mockContextFor(allocate, {
        workspacePath: createMockDirectory().path,
        input: { service },
      });
      await allocate.handler(ctx);
      return ctx.output.mock.calls[0][1];
    };

    // Reservations lapse at once with 0 hours: the second run gets the
    // same port, which it reserves in the first one's place.
    expect(await run('payment-service')).toBe(8000);
    expect(await run('ledger-service')).toBe(8000);
    expect(await knex('tms_port_reservations').select('service')).toEqual([
      { service: 'ledger-service' },
    ]);
  });
});
