import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { readZeroTrustConfig } from '../config';
import { DatabaseZeroTrustStore } from '../database/DatabaseZeroTrustStore';
import { createEngine } from '../engine';

/** One replica of the engine over the given database, for tests. */
export async function testEngine(
  knex: Knex,
  config: object = {},
  fetchFn?: typeof fetch,
) {
  const store = await DatabaseZeroTrustStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const engine = createEngine({
    store,
    config: readZeroTrustConfig(new ConfigReader({ zeroTrust: config })),
    logger: mockServices.logger.mock(),
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
    // Events go nowhere unless a test listens for them.
    fetch: fetchFn ?? (async () => new Response('{}', { status: 200 })),
  });
  return engine;
}
