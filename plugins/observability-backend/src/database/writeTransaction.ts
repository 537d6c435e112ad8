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

/** Statement texts kept; exports come in a handful of sizes. */
const KEPT_INSERTS = 64;

/**
 * Multi-row INSERT texts, `INSERT INTO table (columns) VALUES (?, ...), ...
 * tail`, written once per table, row count and tail and kept (up to
 * KEPT_INSERTS): a statement of 512 rows has thousands of placeholders.
 * Row counts beyond the kept ones are written afresh each time.
 */
export class MultiRowInserts {
  private readonly texts = new Map<string, string>();

  sql(table: string, columns: readonly string[], rows: number, tail = '') {
    const key = `${table}\u0000${rows}\u0000${tail}`;
    let text = this.texts.get(key);
    if (!text) {
      const row = `(${columns.map(() => '?').join(', ')})`;
      text =
        `INSERT INTO ${table} (${columns.join(', ')}) ` +
        `VALUES ${Array(rows).fill(row).join(', ')}${tail && ` ${tail}`}`;
      if (this.texts.size < KEPT_INSERTS) {
        this.texts.set(key, text);
      }
    }
    return text;
  }
}
