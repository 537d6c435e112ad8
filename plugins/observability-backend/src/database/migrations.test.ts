import { TestDatabases } from '@backstage/backend-test-utils';
import { resolve } from 'node:path';

const MIGRATIONS = { directory: resolve(__dirname, '../../migrations') };

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('create every table and drop them again', async () => {
    const knex = await databases.init(databaseId);

    await knex.migrate.latest(MIGRATIONS);
    expect(await knex.schema.hasTable('spans')).toBe(true);
    expect(await knex.schema.hasTable('logs')).toBe(true);
    expect(await knex.schema.hasTable('metric_points')).toBe(true);
    expect(await knex.schema.hasColumn('logs', 'content_key')).toBe(true);

    // The content key comes and goes on its own, leaving the logs table.
    const contentKey = { ...MIGRATIONS, name: '20261203_logsContentKey.js' };
    await knex.migrate.down(contentKey);
    expect(await knex.schema.hasColumn('logs', 'content_key')).toBe(false);
    expect(await knex.schema.hasColumn('logs', 'body_text')).toBe(true);
    await knex.migrate.up(contentKey);
    expect(await knex.schema.hasColumn('logs', 'content_key')).toBe(true);

    // The span rollups come and go on their own, leaving the spans.
    const rollups = { ...MIGRATIONS, name: '20261204_spanRollups.js' };
    expect(await knex.schema.hasTable('span_rollups')).toBe(true);
    await knex.migrate.down(rollups);
    expect(await knex.schema.hasTable('span_rollups')).toBe(false);
    expect(await knex.schema.hasTable('spans')).toBe(true);
    await knex.migrate.up(rollups);
    expect(await knex.schema.hasColumn('span_rollups', 'd_2000')).toBe(true);

    await knex.migrate.rollback(MIGRATIONS, true);
    expect(await knex.schema.hasTable('span_rollups')).toBe(false);
    expect(await knex.schema.hasTable('spans')).toBe(false);
    expect(await knex.schema.hasTable('logs')).toBe(false);
    expect(await knex.schema.hasTable('metric_points')).toBe(false);

    // Down leaves nothing behind that would stop a second way up.
    await knex.migrate.latest(MIGRATIONS);
    expect(await knex.schema.hasTable('logs')).toBe(true);
  });
});
