import { NotFoundError } from '@backstage/errors';
import {
  StoredSpan,
  TelemetryStore,
  TraceSummary,
} from '../database/TelemetryStore';

const HOUR_MS = 60 * 60 * 1000;

export interface TraceSearch {
  service?: string;
  fromMs?: number;
  toMs?: number;
  limit?: number;
}

/** Answers the trace queries of the 8010 API. */
export class TraceQueryService {
  private readonly store: TelemetryStore;

  static create(options: { store: TelemetryStore }) {
    return new TraceQueryService(options.store);
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
}
