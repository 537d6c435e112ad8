import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const MIGRATIONS_DIR = resolvePackagePath(
  '@internal/plugin-scaffolder-backend-module-tms',
  'migrations',
);

/**
 * The scaffolder's own migrations use the default `knex_migrations`; ours
 * need a table of their own, or each side would find the other's files
 * missing.
 */
export const MIGRATIONS_TABLE = 'tms_port_reservations_knex_migrations';

const TABLE = 'tms_port_reservations';

/** A port reserved for a service by a scaffolder task. */
export type PortReservation = {
  port: number;
  service: string;
  taskId: string;
  reservedAt: Date;
};

type Row = {
  port: number | string;
  service: string;
  task_id: string;
  reserved_at_ms: number | string;
};

/** Unique violations of PostgreSQL, SQLite and MySQL. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === '23505' ||
    code === 'ER_DUP_ENTRY' ||
    (typeof code === 'string' && /^SQLITE_CONSTRAINT/.test(code))
  );
}

/** PostgreSQL hands back bigints as strings, SQLite as numbers. */
function fromRow(row: Row): PortReservation {
  return {
    port: Number(row.port),
    service: row.service,
    taskId: row.task_id,
    reservedAt: new Date(Number(row.reserved_at_ms)),
  };
}

/** Port reservations in the `tms_port_reservations` table. */
export class PortReservationStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<PortReservationStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await PortReservationStore.migrate(db);
    }
    return new PortReservationStore(db);
  }

  static async migrate(db: Knex) {
    await db.migrate.latest({
      directory: MIGRATIONS_DIR,
      tableName: MIGRATIONS_TABLE,
    });
  }

  constructor(private readonly db: Knex) {}

  async list(): Promise<PortReservation[]> {
    const rows: Row[] = await this.db(TABLE).select();
    return rows.map(fromRow);
  }

  /**
   * Reserves a port. `replacing` is the reservation the caller found on the
   * port and no longer counts (expired, its service in the catalog, or the
   * same service's); it is removed only if still unchanged. False when
   * another run holds the port now.
   */
  async reserve(
    reservation: PortReservation,
    replacing?: PortReservation,
  ): Promise<boolean> {
    try {
      await this.db.transaction(async tx => {
        if (replacing) {
          await tx(TABLE)
            .where({
              port: replacing.port,
              task_id: replacing.taskId,
              reserved_at_ms: replacing.reservedAt.getTime(),
            })
            .delete();
        }
        await tx(TABLE).insert({
          port: reservation.port,
          service: reservation.service,
          task_id: reservation.taskId,
          reserved_at_ms: reservation.reservedAt.getTime(),
        });
        // A service holds one port: a rerun that took another lets the
        // earlier one go.
        await tx(TABLE)
          .where({ service: reservation.service })
          .whereNot({ port: reservation.port })
          .delete();
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }
}
