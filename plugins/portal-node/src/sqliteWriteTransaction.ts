import type { KnexWithClient } from './sqliteStatementCache';

/** A better-sqlite3 statement, as far as this file needs it. */
interface Statement {
  readonly reader: boolean;
  all(values: unknown[]): Record<string, unknown>[];
  run(values: unknown[]): unknown;
}

/** A better-sqlite3 connection, as far as this file needs it. */
interface SqliteConnection {
  readonly inTransaction: boolean;
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
}

/**
 * Runs one statement of a write transaction with positional `?` values;
 * resolves with the rows it returns (none for a statement without
 * RETURNING).
 */
export type RunWriteStatement = (
  sql: string,
  values: unknown[],
) => Promise<Record<string, unknown>[]>;

/**
 * Runs `work` in one write transaction on a better-sqlite3 knex instance,
 * with the statements going to the connection itself rather than through
 * knex.
 *
 * A knex transaction is a new knex instance with its own query runner,
 * bindings formatter and promise chain per transaction. Under steady
 * ingest (a hundred exports a second) that was a quarter of what the
 * backend allocated, and since exports queue for SQLite's one connection,
 * much of it lived long enough to reach the old generation and set off
 * major collections that held the event loop. Here the transaction is the
 * pooled connection, a BEGIN and a COMMIT.
 *
 * The connection is taken from knex's pool for the whole transaction, so
 * knex queries wait for it as they would for a knex transaction, and
 * `work` may await between statements (to let the event loop run) without
 * anything else slipping into the transaction. On any error the
 * transaction is rolled back and the error passed on.
 *
 * Values are bound as knex binds them for better-sqlite3: booleans as 1
 * and 0, dates as milliseconds, and undefined refused as knex refuses it.
 */
export async function inSqliteWriteTransaction<T>(
  db: KnexWithClient,
  work: (run: RunWriteStatement) => Promise<T>,
): Promise<T> {
  const { client } = db;
  const connection = (await client.acquireConnection()) as SqliteConnection;

  try {
    // IMMEDIATE takes the write lock now: a transaction that reads first
    // and writes later could otherwise find another process's writer in
    // its way halfway through.
    connection.exec('BEGIN IMMEDIATE');
    try {
      const result = await work(async (sql, values) => {
        const statement = connection.prepare(sql);
        const bindings = values.map(toSqliteValue);
        if (statement.reader) {
          return statement.all(bindings);
        }
        statement.run(bindings);
        return [];
      });
      connection.exec('COMMIT');
      return result;
    } catch (error) {
      // Some errors (a full disk, an interrupt) end the transaction
      // inside SQLite already.
      if (connection.inTransaction) {
        connection.exec('ROLLBACK');
      }
      throw error;
    }
  } finally {
    await client.releaseConnection(connection);
  }
}

function toSqliteValue(value: unknown, index: number) {
  // knex refuses undefined on every database, as a fault of the code that
  // built the values; better-sqlite3 alone would store NULL, and SQLite
  // and PostgreSQL would part ways.
  if (value === undefined) {
    throw new TypeError(`Undefined binding at position ${index} of a write`);
  }
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  if (value instanceof Date) {
    return value.valueOf();
  }
  return value;
}
