import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { PortAllocator } from '../lib/ports/PortAllocator';
import { PortReservationStore } from '../lib/ports/PortReservationStore';

/** A port allocator on a fresh database of the given test database id. */
export async function testPortAllocator(
  databases: TestDatabases,
  id: Parameters<TestDatabases['init']>[0],
) {
  const knex = await databases.init(id);
  await PortReservationStore.migrate(knex);
  const store = new PortReservationStore(knex);
  return { knex, store, allocator: new PortAllocator(store) };
}

/** A catalog component, with its port annotation when given. */
export function component(name: string, port?: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: port ? { 'tms.example.com/port': String(port) } : {},
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team' },
  };
}
