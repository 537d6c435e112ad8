import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { resolve } from 'node:path';
import { component } from '../../__testUtils__/portAllocator';
import { PortAllocator } from './PortAllocator';
import { MIGRATIONS_TABLE, PortReservationStore } from './PortReservationStore';

jest.setTimeout(60_000);

const MIGRATIONS = {
  directory: resolve(__dirname, '../../../migrations'),
  tableName: MIGRATIONS_TABLE,
};

/** api-gateway on 8000, auth-service on 8001, quiz-service on 8003. */
const CATALOG = [
  component('api-gateway', 8000),
  component('auth-service', 8001),
  component('quiz-service', 8003),
  component('docs-site'),
];

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('port allocation on %s', id => {
  let knex: Knex;
  let store: PortReservationStore;
  let now: Date;
  const allocator = (hours?: number) =>
    new PortAllocator(store, { reservationHours: hours, now: () => now });

  beforeAll(async () => {
    knex = await databases.init(id);
    await PortReservationStore.migrate(knex);
    store = new PortReservationStore(knex);
  });

  beforeEach(async () => {
    await knex('tms_port_reservations').delete();
    now = new Date('2026-12-04T10:00:00Z');
  });

  it('gives ten runs at the same time ten different ports', async () => {
    const ports = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        // One allocator each, as on separate replicas.
        allocator().allocate(
          { service: `service-${i}`, taskId: `task-${i}` },
          CATALOG,
        ),
      ),
    );

    expect(new Set(ports).size).toBe(10);
    expect(ports.some(p => [8000, 8001, 8003].includes(p))).toBe(false);
    expect([...ports].sort()).toEqual([
      8002, 8004, 8005, 8006, 8007, 8008, 8009, 8010, 8011, 8012,
    ]);
    const reserved = await store.list();
    expect(reserved.map(r => r.port).sort()).toEqual([...ports].sort());
  });

  it('records the service, task and time of a reservation', async () => {
    await allocator().allocate(
      { service: 'payment-service', taskId: 'task-1' },
      CATALOG,
    );

    expect(await store.list()).toEqual([
      {
        port: 8002,
        service: 'payment-service',
        taskId: 'task-1',
        reservedAt: now,
      },
    ]);
  });

  it('refuses a requested port reserved for another service, naming it', async () => {
    await allocator().allocate(
      { service: 'payment-service', taskId: 'task-1', port: 8020 },
      CATALOG,
    );

    await expect(
      allocator().allocate(
        { service: 'ledger-service', taskId: 'task-2', port: 8020 },
        CATALOG,
      ),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message:
          "Port 8020 is reserved for service 'payment-service' by task task-1 since 2026-12-04T10:00:00.000Z; the next free port is 8002",
      }),
    );
  });

  it('refuses a requested port a component claims', async () => {
    await expect(
      allocator().allocate(
        { service: 'ledger-service', taskId: 'task-1', port: 8003 },
        CATALOG,
      ),
    ).rejects.toThrow(
      "Port 8003 is taken by component 'quiz-service'; the next free port is 8002",
    );
  });

  it('gives a rerun for the same service its reserved port back', async () => {
    const first = await allocator().allocate(
      { service: 'payment-service', taskId: 'task-1' },
      CATALOG,
    );
    const again = await allocator().allocate(
      { service: 'payment-service', taskId: 'task-2' },
      CATALOG,
    );
    const requested = await allocator().allocate(
      { service: 'payment-service', taskId: 'task-3', port: 8020 },
      CATALOG,
    );

    expect([first, again, requested]).toEqual([8002, 8002, 8020]);
    // The service holds only the port it took last.
    expect((await store.list()).map(r => [r.port, r.taskId])).toEqual([
      [8020, 'task-3'],
    ]);
  });

  it('lets a reservation lapse after the configured hours', async () => {
    await allocator(2).allocate(
      { service: 'payment-service', taskId: 'task-1' },
      CATALOG,
    );

    now = new Date('2026-12-04T11:59:59Z');
    expect(
      await allocator(2).allocate(
        { service: 'ledger-service', taskId: 'task-2' },
        CATALOG,
      ),
    ).toBe(8004);

    now = new Date('2026-12-04T12:00:00Z');
    expect(
      await allocator(2).allocate(
        { service: 'invoice-service', taskId: 'task-3', port: 8002 },
        CATALOG,
      ),
    ).toBe(8002);
    expect((await store.list()).find(r => r.port === 8002)?.service).toBe(
      'invoice-service',
    );
  });

  it('lets a reservation lapse after 24 hours by default', async () => {
    await allocator().allocate(
      { service: 'payment-service', taskId: 'task-1' },
      CATALOG,
    );

    now = new Date('2026-12-05T09:59:59Z');
    await expect(
      allocator().allocate(
        { service: 'ledger-service', taskId: 'task-2', port: 8002 },
        CATALOG,
      ),
    ).rejects.toThrow('reserved for service');
    now = new Date('2026-12-05T10:00:00Z');
    expect(
      await allocator().allocate(
        { service: 'ledger-service', taskId: 'task-2', port: 8002 },
        CATALOG,
      ),
    ).toBe(8002);
  });

  it('no longer counts a reservation once its service is in the catalog', async () => {
    await allocator().allocate(
      { service: 'payment-service', taskId: 'task-1' },
      CATALOG,
    );
    // Registered on another port than the one reserved, e.g. edited by hand.
    const catalog = [...CATALOG, component('payment-service', 8030)];

    expect(
      await allocator().allocate(
        { service: 'ledger-service', taskId: 'task-2' },
        catalog,
      ),
    ).toBe(8002);
  });

  it('reserves nothing in a dry run', async () => {
    await allocator().allocate(
      { service: 'payment-service', taskId: 'task-1' },
      CATALOG,
    );

    const proposed = await allocator().allocate(
      { service: 'ledger-service', taskId: 'task-2', dryRun: true },
      CATALOG,
    );
    const requested = await allocator().allocate(
      { service: 'ledger-service', taskId: 'task-2', port: 8020, dryRun: true },
      CATALOG,
    );

    expect([proposed, requested]).toEqual([8004, 8020]);
    expect((await store.list()).map(r => r.service)).toEqual([
      'payment-service',
    ]);
    // A dry run still refuses what the real run would refuse.
    await expect(
      allocator().allocate(
        {
          service: 'ledger-service',
          taskId: 'task-2',
          port: 8002,
          dryRun: true,
        },
        CATALOG,
      ),
    ).rejects.toThrow("reserved for service 'payment-service'");
  });
});

describe.each(databases.eachSupportedId())(
  'port reservation migrations on %s',
  id => {
    it('create the table and drop it again', async () => {
      const knex = await databases.init(id);

      await knex.migrate.latest(MIGRATIONS);
      expect(await knex.schema.hasTable('tms_port_reservations')).toBe(true);

      await knex.migrate.rollback(MIGRATIONS, true);
      expect(await knex.schema.hasTable('tms_port_reservations')).toBe(false);

      // Down leaves nothing behind that would stop a second way up.
      await knex.migrate.latest(MIGRATIONS);
      expect(await knex.schema.hasTable('tms_port_reservations')).toBe(true);
    });

    it('keep their own migrations table beside the scaffolder’s', async () => {
      const knex = await databases.init(id);
      // A migration of the scaffolder's, which ours must not see as missing.
      await knex.schema.createTable('knex_migrations', table => {
        table.increments('id');
        table.string('name');
        table.integer('batch');
        table.timestamp('migration_time');
      });
      await knex('knex_migrations').insert({
        name: '20210120143715_init.js',
        batch: 1,
        migration_time: new Date(),
      });

      await expect(PortReservationStore.migrate(knex)).resolves.not.toThrow();
      expect(await knex.schema.hasTable('tms_port_reservations')).toBe(true);
    });
  },
);
