import { TestDatabases } from '@backstage/backend-test-utils';
import { inSqliteWriteTransaction } from './sqliteWriteTransaction';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A fresh SQLite database with a table `points` (unique name, value). */
async function withPointsTable() {
  const db = await databases.init('SQLITE_3');
  await db.schema.createTable('points', table => {
    table.string('name').primary();
    table.integer('value');
    table.boolean('up');
  });
  return db;
}

const INSERT_RETURNING =
  'INSERT INTO points (name, value, up) VALUES (?, ?, ?), (?, ?, ?) ' +
  'ON CONFLICT (name) DO NOTHING RETURNING name';

describe('inSqliteWriteTransaction', () => {
  it('commits every statement, returns the rows of RETURNING and binds booleans as knex does', async () => {
    const db = await withPointsTable();

    const result = await inSqliteWriteTransaction(db, async run => {
      const first = await run(INSERT_RETURNING, ['a', 1, true, 'b', 2, false]);
      const again = await run(INSERT_RETURNING, ['b', 3, true, 'c', 4, true]);
      const update = await run('UPDATE points SET value = value + ?', [10]);
      return { first, again, update };
    });

    expect(result).toEqual({
      first: [{ name: 'a' }, { name: 'b' }],
      again: [{ name: 'c' }],
      update: [],
    });
    expect(await db('points').orderBy('name')).toEqual([
      { name: 'a', value: 11, up: 1 },
      { name: 'b', value: 12, up: 0 },
      { name: 'c', value: 14, up: 1 },
    ]);
  });

  it('rolls everything back when a statement fails, and passes the error on', async () => {
    const db = await withPointsTable();
    await db('points').insert({ name: 'kept', value: 1, up: true });

    await expect(
      inSqliteWriteTransaction(db, async run => {
        await run(INSERT_RETURNING, ['x', 1, true, 'y', 2, true]);
        await run('INSERT INTO points (name, value) VALUES (?, ?)', [
          'kept',
          2,
        ]);
      }),
    ).rejects.toThrow(/UNIQUE constraint failed: points.name/);

    expect(await db('points').select('name')).toEqual([{ name: 'kept' }]);

    // The connection is back in the pool and out of any transaction.
    await db('points').insert({ name: 'after', value: 3, up: false });
    expect(await db('points').count({ rows: '*' })).toEqual([{ rows: 2 }]);
  });

  it('refuses an undefined value as knex does, and stores nothing', async () => {
    const db = await withPointsTable();

    await expect(
      inSqliteWriteTransaction(db, run =>
        run(INSERT_RETURNING, ['a', 1, true, 'b', undefined, true]),
      ),
    ).rejects.toThrow('Undefined binding at position 4 of a write');

    expect(await db('points')).toEqual([]);
  });

  it('rolls back when the work throws between statements', async () => {
    const db = await withPointsTable();

    await expect(
      inSqliteWriteTransaction(db, async run => {
        await run(INSERT_RETURNING, ['x', 1, true, 'y', 2, true]);
        throw new Error('export refused halfway');
      }),
    ).rejects.toThrow('export refused halfway');

    expect(await db('points')).toEqual([]);
  });

  it('keeps knex queries out of the transaction while work awaits', async () => {
    const db = await withPointsTable();
    let insideSeen: unknown;

    const transaction = inSqliteWriteTransaction(db, async run => {
      await run(INSERT_RETURNING, ['a', 1, true, 'b', 2, true]);
      await new Promise(resolve => setTimeout(resolve, 50));
      throw new Error('changed its mind');
    });
    // Issued while the transaction holds the connection: it runs after
    // the rollback, so it neither sees the rows nor joins the transaction.
    const meanwhile = (async () => {
      await new Promise(resolve => setTimeout(resolve, 10));
      insideSeen = await db('points').count({ rows: '*' });
    })();

    await expect(transaction).rejects.toThrow('changed its mind');
    await meanwhile;
    expect(insideSeen).toEqual([{ rows: 0 }]);
  });
});
