import {
  forEachSqliteConnection,
  KnexWithClient,
} from './sqliteStatementCache';

/** A better-sqlite3 connection, as far as this file needs it. */
interface SqliteConnection {
  readonly memory: boolean;
  pragma(source: string): unknown;
}

const TUNED = Symbol('tms.sqliteFile');

/**
 * Settings for a plugin's SQLite database in a file, which the engines
 * write many small transactions to. Backstage gives every plugin a SQLite
 * database of its own (a file per plugin in `connection.directory`, or
 * memory), so these settings reach no other plugin's data:
 *
 * - journal_mode=WAL, kept in the file itself: readers no longer wait for
 *   a writer, and a commit appends to the log instead of copying pages to
 *   a rollback journal first.
 * - synchronous=NORMAL, safe with WAL: a commit no longer waits for the
 *   disk, which it would otherwise do on the event loop, since
 *   better-sqlite3 runs every statement there. A crash of the process
 *   loses nothing; a power cut or kernel crash may lose the last
 *   transactions, never the database.
 *
 * synchronous belongs to a connection, so it is set on every connection
 * knex's pool opens. PostgreSQL and in-memory SQLite are left as they are.
 */
export async function tuneSqliteFile(db: KnexWithClient) {
  await forEachSqliteConnection(db, TUNED, connection => {
    const sqlite = connection as SqliteConnection;
    if (sqlite.memory) {
      return;
    }
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
  });
}
