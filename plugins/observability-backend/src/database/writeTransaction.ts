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
 * Runs the statements of `work` in one transaction: on SQLite straight on
 * the pooled connection, which spares the ingest path a knex transaction
 * per export (see inSqliteWriteTransaction), and on PostgreSQL through a
 * knex transaction. Either way `run` resolves with the rows a statement
 * returns.
 */
export function inWriteTransaction<T>(
  db: Knex,
  work: (run: RunWriteStatement) => Promise<T>,
): Promise<T> {
  if (isSqlite(db)) {
    return inSqliteWriteTransaction(db, work);
  }
  return db.transaction(tx =>
    work(async (sql, values) => (await tx.raw(sql, values as any[])).rows),
  );
}
