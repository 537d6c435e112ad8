import { TestDatabases } from '@backstage/backend-test-utils';
import { sqliteFileDatabase } from './__testUtils__';
import { tuneSqliteFile } from './sqliteFile';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe('tuneSqliteFile', () => {
  let file: ReturnType<typeof sqliteFileDatabase>;

  beforeEach(() => {
    file = sqliteFileDatabase('tuned');
  });

  afterEach(async () => {
    await file.remove();
  });

  it('puts a plugin file in WAL mode with synchronous=NORMAL, on every connection', async () => {
    const knex = await file.database.getClient();

    await tuneSqliteFile(knex);
    await tuneSqliteFile(knex);

    expect(await knex.raw('PRAGMA journal_mode')).toEqual([
      { journal_mode: 'wal' },
    ]);
    // 1 is NORMAL; SQLite's default is 2, FULL.
    expect(await knex.raw('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]);

    // A connection the pool opens later gets the same setting.
    const opened = await knex.client.acquireRawConnection();
    try {
      expect(opened.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      opened.close();
    }
  });

  it('leaves in-memory SQLite and PostgreSQL as they are', async () => {
    const sqlite = await databases.init('SQLITE_3');
    await tuneSqliteFile(sqlite);
    expect(await sqlite.raw('PRAGMA journal_mode')).toEqual([
      { journal_mode: 'memory' },
    ]);

    const postgres = await databases.init('POSTGRES_15');
    await tuneSqliteFile(postgres);
    const { rows } = await postgres.raw('SHOW synchronous_commit');
    expect(rows).toEqual([{ synchronous_commit: 'on' }]);
  });
});
