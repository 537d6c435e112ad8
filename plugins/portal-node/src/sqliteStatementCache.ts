/** A better-sqlite3 statement, as far as this file needs it. */
interface Statement {
  readonly source: string;
}

/** A better-sqlite3 connection, as far as this file needs it. */
interface SqliteConnection {
  prepare(sql: string): Statement;
}

/** The parts of a knex instance this file reads, to need no knex here. */
export interface KnexWithClient {
  client: {
    driverName?: string;
    acquireConnection(): Promise<unknown>;
    releaseConnection(connection: unknown): Promise<unknown>;
    acquireRawConnection(): Promise<unknown>;
  };
}

/** Statements kept per connection; the oldest is dropped beyond this. */
const CACHED_STATEMENTS = 64;

const CACHING = Symbol('tms.sqliteStatementCache');

/**
 * Keeps the INSERT statements of a better-sqlite3 knex instance prepared.
 *
 * knex asks better-sqlite3 to prepare every query anew, and compiling a
 * multi-row INSERT of a few thousand placeholders costs about as much as
 * running it: under steady ingest that is a large share of the event
 * loop's time. The stores send the same INSERT texts again and again (the
 * same table, columns and row count), so each connection keeps its
 * prepared INSERTs by text, at most CACHED_STATEMENTS of them. SQLite
 * prepares a statement again by itself when the schema changes under it.
 * Other statements (reads, DDL, transactions) are prepared as before.
 *
 * Does nothing for other databases. Safe to call more than once.
 */
export async function cacheSqliteInsertStatements(db: KnexWithClient) {
  await forEachSqliteConnection(db, CACHING, connection =>
    withStatementCache(connection as SqliteConnection),
  );
}

/**
 * Runs `setup` once on every better-sqlite3 connection of a knex
 * instance: the one its pool holds now and each it opens later. `marker`
 * tells one setup from another, so that calling this again with the same
 * marker adds nothing. Does nothing for other databases.
 */
export async function forEachSqliteConnection(
  db: KnexWithClient,
  marker: symbol,
  setup: (connection: unknown) => void,
) {
  const { client } = db;
  if (client.driverName !== 'better-sqlite3') {
    return;
  }

  // Connections the pool opens later are set up as they are made.
  const clientState = client as typeof client & { [key: symbol]: true };
  if (!clientState[marker]) {
    clientState[marker] = true;
    const acquireRaw = client.acquireRawConnection.bind(client);
    client.acquireRawConnection = async () => {
      const connection = await acquireRaw();
      setupOnce(connection, marker, setup);
      return connection;
    };
  }

  // And the connection the pool already holds.
  const connection = await client.acquireConnection();
  try {
    setupOnce(connection, marker, setup);
  } finally {
    await client.releaseConnection(connection);
  }
}

function setupOnce(
  connection: unknown,
  marker: symbol,
  setup: (connection: unknown) => void,
) {
  const state = connection as { [key: symbol]: true };
  if (!state[marker]) {
    state[marker] = true;
    setup(connection);
  }
}

function withStatementCache(connection: SqliteConnection) {
  const prepare = connection.prepare.bind(connection);
  const statements = new Map<string, Statement>();
  connection.prepare = (sql: string) => {
    if (!/^\s*insert\s/i.test(sql)) {
      return prepare(sql);
    }
    const cached = statements.get(sql);
    if (cached) {
      // Most recently used last, so that the first is the one to drop.
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    const statement = prepare(sql);
    if (statements.size >= CACHED_STATEMENTS) {
      statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return statement;
  };
}
