import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  EventGroup,
  SecurityEvent,
  SecurityEventStore,
} from './SecurityEventStore';
import { TimeWindow } from './TelemetryStore';

/**
 * Security events in the logs table. Log attributes are JSON text, read
 * with each database's own JSON functions, so that counting happens in the
 * database and only the counts travel.
 */
export class DatabaseSecurityEventStore implements SecurityEventStore {
  private readonly db: Knex;

  /** Uses the tables the telemetry store's migrations made. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseSecurityEventStore> {
    return new DatabaseSecurityEventStore(await options.database.getClient());
  }

  private constructor(db: Knex) {
    this.db = db;
  }

  async countEvents(
    eventNames: string[],
    window: TimeWindow,
  ): Promise<Record<string, number>> {
    const rows: Array<{ event_name: string; count: number | string }> =
      await this.inWindow(eventNames, window)
        .select('event_name')
        .count({ count: '*' })
        .groupBy('event_name');

    return Object.fromEntries(
      rows.map(row => [String(row.event_name), Number(row.count)]),
    );
  }

  async groupEvents(
    eventName: string,
    attributes: string[],
    window: TimeWindow,
  ): Promise<EventGroup[]> {
    const columns = attributes.map((attribute, i) =>
      this.db.raw(`${this.attributeSql()} as ??`, [attribute, `a${i}`]),
    );
    const rows = await this.inWindow([eventName], window)
      .select(columns)
      .count({ count: '*' })
      .groupByRaw(attributes.map((_, i) => String(i + 1)).join(', '));

    return rows.map((row: Record<string, unknown>) => ({
      values: Object.fromEntries(
        attributes.map((attribute, i) => {
          const value = row[`a${i}`];
          return [attribute, value === null ? null : String(value)];
        }),
      ),
      count: Number(row.count),
    }));
  }

  async eventsBefore(
    eventNames: string[],
    beforeMs: number,
  ): Promise<SecurityEvent[]> {
    const rows = await this.db('logs')
      .whereIn('event_name', eventNames)
      .andWhere('time_us', '<', beforeMs * 1000)
      .select('event_name', 'time_us', 'attributes')
      .orderBy([
        { column: 'time_us', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);

    return rows.map(row => ({
      eventName: row.event_name,
      timeUs: Number(row.time_us),
      attributes: JSON.parse(row.attributes),
    }));
  }

  private inWindow(eventNames: string[], window: TimeWindow) {
    return this.db('logs')
      .whereIn('event_name', eventNames)
      .andWhere('time_us', '>=', window.fromMs * 1000)
      .andWhere('time_us', '<', window.toMs * 1000);
  }

  /**
   * One top-level attribute of the JSON text, as text or a number; the
   * attribute name is a binding. Keys with dots are quoted for SQLite.
   */
  private attributeSql() {
    if (this.db.client.config.client === 'pg') {
      return '(attributes::jsonb ->> ?)';
    }
    return `json_extract(attributes, '$."' || ? || '"')`;
  }
}
