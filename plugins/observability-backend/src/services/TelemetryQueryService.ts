import { InputError, NotFoundError } from '@backstage/errors';
import {
  LogCursor,
  StoredSpan,
  TelemetryStore,
  TraceSummary,
} from '../database/TelemetryStore';
import { LogRecord } from '../otlp/readLogsRequest';

const HOUR_MS = 60 * 60 * 1000;

export interface TraceSearch {
  service?: string;
  fromMs?: number;
  toMs?: number;
  limit?: number;
}

/** The lowest OTLP SeverityNumber of each severity name. */
export const SEVERITIES = {
  TRACE: 1,
  DEBUG: 5,
  INFO: 9,
  WARN: 13,
  ERROR: 17,
  FATAL: 21,
} as const;

export type SeverityName = keyof typeof SEVERITIES;

export interface LogSearch {
  service?: string;
  /** Only records at least this severe. */
  severity?: SeverityName;
  text?: string;
  traceId?: string;
  fromMs?: number;
  toMs?: number;
  limit?: number;
  /** The cursor of the previous page. */
  cursor?: string;
}

/** Answers the trace and log queries of the observability API. */
export class TelemetryQueryService {
  private readonly store: TelemetryStore;

  static create(options: { store: TelemetryStore }) {
    return new TelemetryQueryService(options.store);
  }

  private constructor(store: TelemetryStore) {
    this.store = store;
  }

  async getTrace(
    traceId: string,
  ): Promise<{ traceId: string; spans: StoredSpan[] }> {
    const id = traceId.toLowerCase();
    const spans = await this.store.getTrace(id);

    if (spans.length === 0) {
      throw new NotFoundError(`No trace with id '${traceId}'`);
    }
    return { traceId: id, spans };
  }

  /** Without a window, the last hour; at most `limit` traces, default 100. */
  async searchTraces(search: TraceSearch): Promise<TraceSummary[]> {
    const toMs = search.toMs ?? Date.now();
    const fromMs = search.fromMs ?? toMs - HOUR_MS;

    return this.store.searchTraces({
      service: search.service,
      fromMs,
      toMs,
      limit: search.limit ?? 100,
    });
  }

  /**
   * Log records, newest first. `nextCursor` is set when more records match;
   * pass it back as `cursor` for the next page.
   */
  async searchLogs(
    search: LogSearch,
  ): Promise<{ logs: LogRecord[]; nextCursor?: string }> {
    const toMs = search.toMs ?? Date.now();
    const fromMs = search.fromMs ?? toMs - HOUR_MS;

    const page = await this.store.searchLogs({
      service: search.service,
      minSeverity: search.severity ? SEVERITIES[search.severity] : undefined,
      text: search.text,
      traceId: search.traceId,
      fromMs,
      toMs,
      limit: search.limit ?? 100,
      after: search.cursor ? decodeCursor(search.cursor) : undefined,
    });
    return {
      logs: page.logs,
      nextCursor: page.next ? encodeCursor(page.next) : undefined,
    };
  }
}

function encodeCursor(cursor: LogCursor) {
  return Buffer.from(`${cursor.timeUs}.${cursor.id}`).toString('base64url');
}

function decodeCursor(text: string): LogCursor {
  const match = /^(\d+)\.(\d+)$/.exec(
    Buffer.from(text, 'base64url').toString(),
  );
  if (!match) {
    throw new InputError(
      `Invalid cursor '${text}': use the nextCursor of a page`,
    );
  }
  return { timeUs: Number(match[1]), id: Number(match[2]) };
}
