import { TestDatabases } from '@backstage/backend-test-utils';
import {
  cacheSqliteInsertStatements,
  KnexWithClient,
} from './sqliteStatementCache';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type Knex = Awaited<ReturnType<typeof databases.init>>;

/** Runs `use` on the connection the pool holds. */
async function withConnection<T>(
  db: Knex,
  use: (connection: { prepare(sql: string): unknown }) => T,
) {
  const connection = await db.client.acquireConnection();
  try {
    return use(connection);
  } finally {
    await db.client.releaseConnection(connection);
  }
}

/** A fresh database with an empty table `points` (name, value). */
async function withPointsTable(
  databaseId: Parameters<typeof databases.init>[0],
) {
  const db = await databases.init(databaseId);
  await db.schema.createTable('points', table => {
    table.string('name');
    table.integer('value');
  });
  return db;
}

const insert = (rows: number) =>
  `INSERT INTO points (name, value) VALUES ${Array(rows)
    .fill('(?, ?)')
    .join(', ')}`;

describe('cacheSqliteInsertStatements', () => {
  it('prepares an INSERT once per text on SQLite, and reads anew', async () => {
    const db = await withPointsTable('SQLITE_3');

    await cacheSqliteInsertStatements(db);
    await cacheSqliteInsertStatements(db);

    await withConnection(db, connection => {
      expect(connection.prepare(insert(2))).toBe(connection.prepare(insert(2)));
      expect(connection.prepare(insert(2))).not.toBe(
        connection.prepare(insert(3)),
      );
      expect(connection.prepare('SELECT * FROM points')).not.toBe(
        connection.prepare('SELECT * FROM points'),
      );
    });
  });

  it('stores what each run of a cached INSERT binds, also after the table changes', async () => {
    const db = await withPointsTable('SQLITE_3');
    await cacheSqliteInsertStatements(db);

    await db.raw(insert(2), ['a', 1, 'b', 2]);
    await db.transaction(async tx => {
      await tx.raw(insert(2), ['c', 3, 'd', 4]);
    });
    await db.schema.alterTable('points', table => {
      table.string('unit').defaultTo('ms');
    });
    await db.raw(insert(2), ['e', 5, 'f', 6]);

    expect(await db('points').orderBy('name')).toEqual([
      { name: 'a', value: 1, unit: 'ms' },
      { name: 'b', value: 2, unit: 'ms' },
      { name: 'c', value: 3, unit: 'ms' },
      { name: 'd', value: 4, unit: 'ms' },
      { name: 'e', value: 5, unit: 'ms' },
      { name: 'f', value: 6, unit: 'ms' },
    ]);
  });

  it('keeps the 64 most recently used texts', async () => {
    const db = await withPointsTable('SQLITE_3');
    await cacheSqliteInsertStatements(db);

    await withConnection(db, connection => {
      const first = connection.prepare(insert(1));
      const second = connection.prepare(insert(2));
      for (let rows = 3; rows <= 64; rows++) {
        connection.prepare(insert(rows));
      }
      // Used again, the first is now the newest; the 65th text then
      // pushes out the second, the oldest.
      expect(connection.prepare(insert(1))).toBe(first);
      connection.prepare(insert(65));
      expect(connection.prepare(insert(1))).toBe(first);
      expect(connection.prepare(insert(2))).not.toBe(second);
    });
  });

  it('leaves other databases alone', async () => {
    const acquireConnection = jest.fn();
    const db: KnexWithClient = {
      client: {
        driverName: 'pg',
        acquireConnection,
        releaseConnection: jest.fn(),
        acquireRawConnection: jest.fn(),
      },
    };

    await cacheSqliteInsertStatements(db);

    expect(acquireConnection).not.toHaveBeenCalled();
  });

  it.each(databases.eachSupportedId())(
    'answers queries as before on %s',
    async databaseId => {
      const db = await withPointsTable(databaseId);
      await cacheSqliteInsertStatements(db);

      await db('points').insert([
        { name: 'a', value: 1 },
        { name: 'b', value: 2 },
      ]);
      await db('points').insert([
        { name: 'c', value: 3 },
        { name: 'd', value: 4 },
      ]);

      expect(await db('points').sum({ total: 'value' })).toEqual([
        { total: databaseId === 'POSTGRES_15' ? '10' : 10 },
      ]);
    },
  );
});
