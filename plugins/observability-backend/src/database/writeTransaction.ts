import {
  inSqliteWriteTransaction,
  RunWriteStatement,
} from '@internal/portal-node';
import { Knex } from 'knex';

/** better-sqlite3 and sqlite3 share knex's SQLite dialect. */
export function isSqlite(db: Knex) {
  return db.client.dialect === 'sqlite3';
}

/**
 * Runs the statements of `work` in one transaction: on better-sqlite3
 * straight on the pooled connection, which spares the ingest path a knex
 * transaction per export (see inSqliteWriteTransaction), and on other
 * databases through a knex transaction. Either way `run` resolves with the
 * rows a statement returns.
 */
export function inWriteTransaction<T>(
  db: Knex,
  work: (run: RunWriteStatement) => Promise<T>,
): Promise<T> {
  if (db.client.driverName === 'better-sqlite3') {
    return inSqliteWriteTransaction(db, work);
  }
  return db.transaction(tx =>
    work(async (sql, values) => {
      const result = await tx.raw(sql, values as any[]);
      // pg answers with a result object, the sqlite3 driver with the rows.
      return Array.isArray(result) ? result : result.rows;
    }),
  );
}
